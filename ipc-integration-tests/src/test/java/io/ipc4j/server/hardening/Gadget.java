package io.ipc4j.server.hardening;

/** Named in parameter_types: its static initializer records that something initialised it. */
public final class Gadget {
  static {
    GadgetFlags.initialised(Gadget.class.getName());
  }

  /** Would run if anything instantiated it from a request. */
  public Gadget() {
    GadgetFlags.initialised(Gadget.class.getName() + ".<init>");
  }
}
