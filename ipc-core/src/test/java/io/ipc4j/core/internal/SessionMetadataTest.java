package io.ipc4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ipc4j.proto.v1.SessionRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionMetadataTest {
  private static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void traceContextGoesInTheCallsFieldsAndEverythingElseInItsMap() {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("traceparent", PARENT);
    metadata.put("tracestate", "vendor=one");
    metadata.put("baggage", "user=7");
    SessionRequest.Call.Builder call = SessionRequest.Call.newBuilder();
    SessionMetadata.put(call, metadata);

    assertEquals(PARENT, call.getTraceparent());
    assertEquals("vendor=one", call.getTracestate());
    assertEquals(Map.of("baggage", "user=7"), call.getMetadataMap());
  }

  @Test
  void entriesAreReadFromTheFieldsFirstThenFromTheMap() {
    SessionRequest.Call sent = SessionRequest.Call.newBuilder().setTraceparent(PARENT)
        .putMetadata("traceparent", "ignored").putMetadata("tracestate", "vendor=two")
        .putMetadata("baggage", "user=7").build();

    assertEquals(PARENT, SessionMetadata.get(sent, "traceparent"));
    assertEquals("vendor=two", SessionMetadata.get(sent, "tracestate"),
        "an empty field leaves the map's entry");
    assertEquals("user=7", SessionMetadata.get(sent, "baggage"));
    assertNull(SessionMetadata.get(sent, "b3"));
  }

  @Test
  void aCallWithoutMetadataHasNoEntries() {
    SessionRequest.Call.Builder call = SessionRequest.Call.newBuilder();
    SessionMetadata.put(call, Map.of());
    SessionRequest.Call sent = call.build();

    assertEquals(SessionRequest.Call.getDefaultInstance(), sent);
    assertNull(SessionMetadata.get(sent, "traceparent"));
    assertNull(SessionMetadata.get(sent, "tracestate"));
    assertNull(SessionMetadata.get(sent, "baggage"));
  }
}
