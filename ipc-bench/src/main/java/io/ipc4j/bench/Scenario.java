package io.ipc4j.bench;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The calls the benchmark makes: a small call and echoes of two payload sizes. */
enum Scenario {
  ADD("add", "add(int,int)", 0),
  ECHO_1K("echo-1k", "echo 1 KiB", 1024),
  ECHO_1M("echo-1m", "echo 1 MiB", 1024 * 1024);

  /** The name on the command line and in the result lines. */
  final String id;
  /** The name in the table. */
  final String label;
  /** The bytes echoed per call, each way; 0 for {@code add}. */
  final int payloadBytes;

  Scenario(String id, String label, int payloadBytes) {
    this.id = id;
    this.label = label;
    this.payloadBytes = payloadBytes;
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
