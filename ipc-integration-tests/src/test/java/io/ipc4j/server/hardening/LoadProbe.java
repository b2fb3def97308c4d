package io.ipc4j.server.hardening;

/** Defined afresh by {@link ClassLoadLog}, to show that its log sees what is loaded. */
final class LoadProbe {
  private LoadProbe() {}
}
