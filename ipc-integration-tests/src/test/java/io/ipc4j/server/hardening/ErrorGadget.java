package io.ipc4j.server.hardening;

/**
 * Named by a malicious server as the class of a remote exception that the called method does not
 * declare: its static initializer records that the client initialised it.
 */
public final class ErrorGadget extends RuntimeException {
  private static final long serialVersionUID = 1L;

  static {
    GadgetFlags.initialised(ErrorGadget.class.getName());
  }

  /** Would run if the client rebuilt it. */
  public ErrorGadget(String message) {
    super(message);
    GadgetFlags.initialised(ErrorGadget.class.getName() + ".<init>");
  }
}
