package io.ipc4j.bench;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The calls the benchmark makes: a small call, echoes of two payload sizes, and, where the system
 * has callbacks, a call that the server answers by calling the client back.
 */
enum Scenario {
  ADD("add", "add(int,int)", 0, 1),
  ECHO_1K("echo-1k", "echo 1 KiB", 1024, 1),
  ECHO_1M("echo-1m", "echo 1 MiB", 1024 * 1024, 1),
  /**
   * {@code callBack(adder, a, b)}: the client calls the server, which calls {@code adder.add(a, b)}
   * back on the client and answers its sum; the shape of {@code add} with a callback inside.
   */
  CALLBACK("callback", "call + callback", 0, 1),
  /**
   * {@code callBackTimes(adder, a, 10)}: one call in which the server makes 10 callbacks one after
   * another; each callback counts as a call and takes a tenth of the call's time, so the
   * server-to-client leg stands nearly alone (a tenth of one client call stays in each).
   */
  CALLBACK_LEG("callback-leg", "callback leg (10 per call)", 0, 10);

  /** The scenarios a run measures unless told otherwise. */
  static final List<Scenario> DEFAULTS = List.of(ADD, ECHO_1K, ECHO_1M);

  /** The name on the command line and in the result lines. */
  final String id;
  /** The name in the table. */
  final String label;
  /** The bytes echoed per call, each way; 0 for the others. */
  final int payloadBytes;
  /** How many calls one measured call counts as: the callbacks it makes, else 1. */
  final int callsPerCall;

  Scenario(String id, String label, int payloadBytes, int callsPerCall) {
    this.id = id;
    this.label = label;
    this.payloadBytes = payloadBytes;
    this.callsPerCall = callsPerCall;
  }

  /** Whether the server calls the client back in this scenario. */
  boolean callsBack() {
    return this == CALLBACK || this == CALLBACK_LEG;
  }

  static Scenario byId(String id) {
    for (Scenario s : values()) {
      if (s.id.equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown scenario '" + id + "'; known: "
        + Arrays.stream(values()).map(s -> s.id).collect(Collectors.joining(", ")));
  }
}
