package io.ipc4j.testkit;

import java.time.Duration;

/** One injected fault: what a matching call suffers. */
record Fault(Kind kind, Duration delay, Throwable thrown) {

  /** The kinds of fault {@link IpcFaults.Calls} can inject. */
  enum Kind { UNAVAILABLE, DEADLINE_EXCEEDED, DELAY, THROWING }

  static Fault of(Kind kind) {
    return new Fault(kind, null, null);
  }

  /** Whether the server carries this fault out (all but delays, which the client holds back). */
  boolean onServer() {
    return kind != Kind.DELAY;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case UNAVAILABLE -> "unavailable()";
      case DEADLINE_EXCEEDED -> "deadlineExceeded()";
      case DELAY -> "delay(" + delay + ")";
      case THROWING -> "throwing(" + thrown + ")";
    };
  }
}
