package io.ipc4j.cli;

/**
 * Where {@code ipc serve} registers the hook that stops it on Ctrl-C or SIGTERM: the JVM's
 * shutdown hooks when run as a program; tests pass their own, to press "Ctrl-C" themselves.
 */
@FunctionalInterface
interface ShutdownHooks {
  /** Runs {@code hook} (an unstarted thread) when the program is asked to stop. */
  void add(Thread hook);

  /** The JVM's shutdown hooks. */
  static ShutdownHooks runtime() {
    return Runtime.getRuntime()::addShutdownHook;
  }
}
