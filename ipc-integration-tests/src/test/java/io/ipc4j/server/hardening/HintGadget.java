package io.ipc4j.server.hardening;

/**
 * Named as the value of JSON type hints: its static initializer records that something
 * initialised it.
 */
public final class HintGadget {
  static {
    GadgetFlags.initialised(HintGadget.class.getName());
  }

  /** Would run if anything instantiated it from a request. */
  public HintGadget() {
    GadgetFlags.initialised(HintGadget.class.getName() + ".<init>");
  }
}
