package io.ipc4j.server.hardening;

/** Named as a method: its static initializer records that something initialised it. */
public final class MethodGadget {
  static {
    GadgetFlags.initialised(MethodGadget.class.getName());
  }

  /** Would run if anything instantiated it from a request. */
  public MethodGadget() {
    GadgetFlags.initialised(MethodGadget.class.getName() + ".<init>");
  }
}
