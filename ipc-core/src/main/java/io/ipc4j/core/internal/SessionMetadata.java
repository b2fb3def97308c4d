package io.ipc4j.core.internal;

import io.ipc4j.proto.v1.SessionRequest;
import java.util.Map;

/**
 * The metadata of a call on a session: W3C trace context in the call's own {@code traceparent}
 * and {@code tracestate} fields, every other entry in its {@code metadata} map. A traced call
 * carries trace context each time, and a protobuf map entry costs several objects to write and
 * to read where a string field costs one.
 */
public final class SessionMetadata {
  /** The W3C trace context header naming the trace and the calling span. */
  public static final String TRACEPARENT = "traceparent";
  /** The W3C trace context header carrying vendors' trace state. */
  public static final String TRACESTATE = "tracestate";

  private SessionMetadata() {}

  /** Puts {@code metadata} into {@code call}: trace context in its fields, the rest in its map. */
  public static void put(SessionRequest.Call.Builder call, Map<String, String> metadata) {
    if (metadata.isEmpty()) {
      return;
    }
    for (Map.Entry<String, String> entry : metadata.entrySet()) {
      String key = entry.getKey();
      if (key.equals(TRACEPARENT)) {
        call.setTraceparent(entry.getValue());
      } else if (key.equals(TRACESTATE)) {
        call.setTracestate(entry.getValue());
      } else {
        call.putMetadata(key, entry.getValue());
      }
    }
  }

  /**
   * The entry {@code key} of {@code call}, or null: trace context from its field, or from its map
   * when the field is empty (as a client that puts every header in the map sends it).
   */
  public static String get(SessionRequest.Call call, String key) {
    String field = key.equals(TRACEPARENT) ? call.getTraceparent()
        : key.equals(TRACESTATE) ? call.getTracestate() : "";
    if (!field.isEmpty()) {
      return field;
    }
    return call.getMetadataCount() == 0 ? null : call.getMetadataMap().get(key);
  }
}
