package io.ipc4j.server.hardening;

/**
 * The system properties that size the hardening suites. {@code -Dipc.hardening.long=true} runs
 * the long variants (100,000 hostile requests per transport, a 60 s soak); the others override
 * one figure each. Maven passes {@code -D} properties through to the tests.
 */
final class Hardening {
  /** Whether the long variants run: {@code -Dipc.hardening.long=true}. */
  static final boolean LONG = Boolean.getBoolean("ipc.hardening.long");

  private Hardening() {}

  /** The seed of the hostile requests: {@code -Dipc.hardening.seed}, default 20261125. */
  static long seed() {
    return Long.getLong("ipc.hardening.seed", 20261125L);
  }

  /** Hostile requests per transport: {@code -Dipc.hardening.requests}, default 10,000. */
  static int requests() {
    return Integer.getInteger("ipc.hardening.requests", LONG ? 100_000 : 10_000);
  }

  /**
   * Hostile requests per transport sent as session calls: {@code -Dipc.hardening.session.requests},
   * default 5,000 (50,000 when long).
   */
  static int sessionRequests() {
    return Integer.getInteger("ipc.hardening.session.requests", LONG ? 50_000 : 5_000);
  }

  /** Seconds the soak runs: {@code -Dipc.hardening.soak.seconds}, default 6 (60 when long). */
  static int soakSeconds() {
    return Integer.getInteger("ipc.hardening.soak.seconds", LONG ? 60 : 6);
  }

  /** Client threads of the soak: {@code -Dipc.hardening.soak.threads}, default 64. */
  static int soakThreads() {
    return Integer.getInteger("ipc.hardening.soak.threads", 64);
  }
}
