package io.ipc4j.opentelemetry;

import io.grpc.Status;
import java.util.HashMap;
import java.util.Map;

/** gRPC status code names to their numbers, as {@code rpc.grpc.status_code} wants them. */
final class StatusCodes {
  private static final Map<String, Integer> BY_NAME = new HashMap<>();

  static {
    for (Status.Code code : Status.Code.values()) {
      BY_NAME.put(code.name(), code.value());
    }
  }

  private StatusCodes() {}

  /** The number of the code named {@code name}; {@code UNKNOWN}'s for a name gRPC has not. */
  static int of(String name) {
    if ("OK".equals(name)) { // most calls: no lookup
      return Status.Code.OK.value();
    }
    Integer code = name == null ? null : BY_NAME.get(name);
    return code != null ? code : Status.Code.UNKNOWN.value();
  }
}
