package io.ipc4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.proto.v1.SessionRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallMetadataTest {
  private static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void traceContextGoesInTheCallsFieldsAndEverythingElseInItsMap() {
    CallMetadata metadata = new CallMetadata();
    metadata.put("traceparent", PARENT);
    metadata.put("tracestate", "vendor=one");
    metadata.put("baggage", "user=7");
    SessionRequest.Call.Builder call = SessionRequest.Call.newBuilder();
    metadata.writeTo(call);

    assertEquals(PARENT, call.getTraceparent());
    assertEquals("vendor=one", call.getTracestate());
    assertEquals(Map.of("baggage", "user=7"), call.getMetadataMap());
  }

  @Test
  void everyEntryIsGivenInOrderForHeaders() {
    CallMetadata metadata = new CallMetadata();
    assertTrue(metadata.isEmpty());
    metadata.put("b3", "x");
    metadata.put("tracestate", "vendor=one");
    metadata.put("baggage", "user=7");
    metadata.put("traceparent", PARENT);
    assertFalse(metadata.isEmpty());

    Map<String, String> seen = new LinkedHashMap<>();
    metadata.forEach(seen::put);
    assertEquals(java.util.List.of("traceparent", "tracestate", "b3", "baggage"),
        java.util.List.copyOf(seen.keySet()));
    assertEquals(PARENT, seen.get("traceparent"));
    assertEquals("user=7", seen.get("baggage"));
  }

  @Test
  void noneTakesNoEntries() {
    assertTrue(CallMetadata.NONE.isEmpty());
    assertThrows(UnsupportedOperationException.class,
        () -> CallMetadata.NONE.put("traceparent", PARENT));
    SessionRequest.Call.Builder call = SessionRequest.Call.newBuilder();
    CallMetadata.NONE.writeTo(call);
    assertEquals(SessionRequest.Call.getDefaultInstance(), call.build());
  }

  @Test
  void traceContextIsReadFromTheFieldsWhenTraceparentIsThere() {
    SessionRequest.Call sent = SessionRequest.Call.newBuilder().setTraceparent(PARENT)
        .putMetadata("traceparent", "ignored").putMetadata("tracestate", "ignored too")
        .putMetadata("baggage", "user=7").build();

    assertEquals(PARENT, CallMetadata.read(sent, "traceparent"));
    assertNull(CallMetadata.read(sent, "tracestate"), "the fields are read together");
    assertEquals("user=7", CallMetadata.read(sent, "baggage"));
    assertNull(CallMetadata.read(sent, "b3"));
  }

  @Test
  void traceContextIsReadFromTheMapWhenTheFieldsAreEmpty() {
    SessionRequest.Call sent = SessionRequest.Call.newBuilder()
        .putMetadata("traceparent", PARENT).putMetadata("tracestate", "vendor=two").build();

    assertEquals(PARENT, CallMetadata.read(sent, "traceparent"));
    assertEquals("vendor=two", CallMetadata.read(sent, "tracestate"));
    SessionRequest.Call none = SessionRequest.Call.getDefaultInstance();
    assertNull(CallMetadata.read(none, "traceparent"));
    assertNull(CallMetadata.read(none, "tracestate"));
  }
}
