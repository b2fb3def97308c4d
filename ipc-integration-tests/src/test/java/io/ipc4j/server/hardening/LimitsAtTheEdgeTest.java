package io.ipc4j.server.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.protobuf.Value;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.ipc4j.client.IpcBadArgumentsException;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcException;
import io.ipc4j.core.Limits;
import io.ipc4j.core.internal.Mappers;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.Payload;
import io.ipc4j.server.IpcServer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each limit set through {@code IpcServer.builder().limits(...)} holds at its edge, through a real
 * server: exactly at the limit is accepted, one over is refused with the documented status and a
 * message naming the limit. Message size, nesting depth, string length, number length, argument
 * count; in the ListValue form (grpcurl's) and the json and cbor payloads.
 */
class LimitsAtTheEdgeTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  /** What the limits guard. */
  public static final class Edge {
    public int length(String s) {
      return s.length();
    }

    public Object echoObject(Object o) {
      return o;
    }

    public String integer(BigInteger i) {
      return i.toString();
    }

    public int sum3(int a, int b, int c) {
      return a + b + c;
    }

    public String repeat(int n) {
      return "x".repeat(n);
    }
  }

  private static Net.Served serve(Net net, Limits limits) throws Exception {
    return net.start(IpcServer.builder().expose("edge", new Edge()).limits(limits));
  }

  @Test
  void aMessageExactlyAtTheSizeLimitPassesAndOneByteOverIsRefused() throws Exception {
    int limit = 64 * 1024;
    try (Net.Served served = serve(Net.TCP, Limits.defaults().withMaxMessageSize(limit))) {
      ManagedChannel channel = served.channel();
      try {
        for (IntFunction<InvokeRequest> form : List.<IntFunction<InvokeRequest>>of(
            n -> list("edge", "length", str("x".repeat(n))),
            n -> payload("edge", "length", "json", "[\"" + "x".repeat(n) + "\"]"))) {
          int n = sizedTo(form, limit);
          assertEquals(limit, form.apply(n).getSerializedSize());
          Raw.Outcome at = Raw.invoke(channel, form.apply(n), DEADLINE);
          assertEquals(Status.Code.OK, at.code(), at.toString());
          assertEquals(n, resultNumber(at.invokeResponse()));

          Raw.Outcome over = Raw.invoke(channel, form.apply(n + 1), DEADLINE);
          assertEquals(Status.Code.RESOURCE_EXHAUSTED, over.code(), over.toString());
          assertEquals("gRPC message exceeds maximum size " + limit + ": " + (limit + 1),
              over.description());
        }
      } finally {
        Net.shutdown(channel);
      }
    }
  }

  @Test
  void anAnswerExactlyAtTheClientsSizeLimitPassesAndOneByteOverIsRefused() throws Exception {
    int limit = 32 * 1024;
    try (Net.Served served = serve(Net.TCP, Limits.defaults());
        IpcClient client = served.client().name("edge")
            .limits(Limits.defaults().withMaxMessageSize(limit)).build()) {
      // The client sends json payloads and gets a json payload back: "xx…x".
      IntFunction<InvokeResponse> answer = n -> InvokeResponse.newBuilder().setPayload(
          Payload.newBuilder().setSerializer("json").setData(ByteString.copyFrom(
              ("\"" + "x".repeat(n) + "\"").getBytes(StandardCharsets.UTF_8)))).build();
      int n = 0;
      while (answer.apply(n + 1).getSerializedSize() <= limit) {
        n++;
      }
      assertEquals(limit, answer.apply(n).getSerializedSize());
      assertEquals("x".repeat(n), client.getExposedObject().call("repeat", n));
      int over = n + 1;
      IpcException e = assertThrows(IpcException.class,
          () -> client.getExposedObject().call("repeat", over));
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatusCode(), e.getMessage());
    }
  }

  @Test
  void theMessageSizeLimitHoldsInProcessToo() throws Exception {
    int limit = 64 * 1024;
    try (Net.Served served = serve(Net.IN_PROCESS, Limits.defaults().withMaxMessageSize(limit))) {
      ManagedChannel channel = served.channel();
      try {
        Raw.Outcome over = Raw.invoke(channel,
            list("edge", "length", str("x".repeat(limit + 1))), DEADLINE);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, over.code(), over.toString());
      } finally {
        Net.shutdown(channel);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void nestingAtMaxDepthPassesAndOneLevelDeeperIsRefused(Net net) throws Exception {
    int limit = 8;
    try (Net.Served served = serve(net, Limits.defaults().withMaxDepth(limit))) {
      ManagedChannel channel = served.channel();
      try {
        // The argument array is the first level, so an argument may nest limit - 1 deep.
        assertAnswered(channel, list("edge", "echoObject", nested(limit - 1)));
        assertAnswered(channel, json("edge", "echoObject", nestedJson(limit - 1)));
        assertAnswered(channel, cbor("edge", "echoObject", nestedCbor(limit - 1)));
        assertBadArguments(channel, list("edge", "echoObject", nested(limit)),
            "bad arguments for edge.echoObject: arguments exceed the maxDepth limit (8)");
        assertBadArguments(channel, json("edge", "echoObject", nestedJson(limit)),
            "bad arguments for edge.echoObject: json arguments exceed the maxDepth limit (8)");
        assertBadArguments(channel, cbor("edge", "echoObject", nestedCbor(limit)),
            "bad arguments for edge.echoObject: cbor arguments exceed the maxDepth limit (8)");
      } finally {
        Net.shutdown(channel);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void stringsAtMaxStringLengthPassAndOneCharacterLongerIsRefused(Net net) throws Exception {
    int limit = 100;
    try (Net.Served served = serve(net, Limits.defaults().withMaxStringLength(limit));
        IpcClient client = served.client().name("edge").build()) {
      ManagedChannel channel = served.channel();
      try {
        assertEquals(100L, client.getExposedObject().call("length", "é".repeat(limit)));
        IpcBadArgumentsException e = assertThrows(IpcBadArgumentsException.class,
            () -> client.getExposedObject().call("length", "é".repeat(limit + 1)));
        assertEquals("bad arguments for edge.length: json arguments exceed the maxStringLength"
            + " limit (100)", e.getMessage().substring(0, e.getMessage().lastIndexOf(" (")));
        assertAnswered(channel, cbor("edge", "length", List.of("x".repeat(limit))));
        assertBadArguments(channel, cbor("edge", "length", List.of("x".repeat(limit + 1))),
            "bad arguments for edge.length: cbor arguments exceed the maxStringLength limit"
                + " (100)");
      } finally {
        Net.shutdown(channel);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void theStringLimitHoldsInTheListValueFormToo(Net net) throws Exception {
    try (Net.Served served = serve(net, Limits.defaults().withMaxStringLength(100))) {
      ManagedChannel channel = served.channel();
      try {
        assertAnswered(channel, list("edge", "length", str("x".repeat(100))));
        assertBadArguments(channel, list("edge", "length", str("x".repeat(101))),
            "bad arguments for edge.length: arguments exceed the maxStringLength limit (100)");
      } finally {
        Net.shutdown(channel);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void numbersAtMaxNumberLengthPassAndOneDigitLongerIsRefused(Net net) throws Exception {
    int limit = 20;
    String digits = "9".repeat(limit);
    try (Net.Served served = serve(net, Limits.defaults().withMaxNumberLength(limit))) {
      ManagedChannel channel = served.channel();
      try {
        assertEquals(digits, resultText(assertAnswered(channel,
            payload("edge", "integer", "json", "[" + digits + "]"))));
        assertBadArguments(channel, payload("edge", "integer", "json", "[" + digits + "9]"),
            "bad arguments for edge.integer: json arguments exceed the maxNumberLength limit"
                + " (20)");
        assertEquals(digits, resultText(assertAnswered(channel,
            cbor("edge", "integer", List.of(new BigInteger(digits))))));
        assertBadArguments(channel, cbor("edge", "integer",
                List.of(new BigInteger(digits + "9"))),
            "bad arguments for edge.integer: cbor arguments exceed the maxNumberLength limit"
                + " (20)");
      } finally {
        Net.shutdown(channel);
      }
    }
  }

  /** A number sent as text (the form of integers past 2^53) meets the limit when converted. */
  @ParameterizedTest
  @EnumSource(Net.class)
  void theNumberLimitHoldsForNumbersSentAsTextInTheListValueFormAndJsonPayloads(Net net)
      throws Exception {
    String tooLong = "argument 1 ('i') of edge.integer(BigInteger i): the value exceeds the"
        + " maxNumberLength limit (20)";
    try (Net.Served served = serve(net, Limits.defaults().withMaxNumberLength(20))) {
      ManagedChannel channel = served.channel();
      try {
        String fits = "9".repeat(20);
        String over = "9".repeat(21);
        assertEquals(fits, resultText(assertAnswered(channel, list("edge", "integer", str(fits)))));
        assertEquals(fits, resultText(assertAnswered(channel, jsonText("edge", "integer", fits))));
        assertBadArguments(channel, list("edge", "integer", str(over)), tooLong);
        assertBadArguments(channel, jsonText("edge", "integer", over), tooLong);
      } finally {
        Net.shutdown(channel);
      }
    }
  }

  /** A json payload whose one argument is {@code text} as a JSON string. */
  private static InvokeRequest jsonText(String object, String method, String text) {
    return payload(object, method, "json", "[\"" + text + "\"]");
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void maxArgumentsPassAndOneMoreIsRefused(Net net) throws Exception {
    try (Net.Served served = serve(net, Limits.defaults().withMaxArguments(3))) {
      ManagedChannel channel = served.channel();
      try {
        assertEquals(6, resultNumber(assertAnswered(channel,
            list("edge", "sum3", num(1), num(2), num(3)))));
        assertEquals(6, resultNumber(assertAnswered(channel,
            payload("edge", "sum3", "json", "[1, 2, 3]"))));
        assertEquals(6, resultNumber(assertAnswered(channel,
            cbor("edge", "sum3", List.of(1, 2, 3)))));
        assertBadArguments(channel, list("edge", "sum3", num(1), num(2), num(3), num(4)),
            "bad arguments for edge.sum3: arguments exceed the maxArguments limit (3)");
        assertBadArguments(channel, payload("edge", "sum3", "json", "[1, 2, 3, 4]"),
            "bad arguments for edge.sum3: json arguments exceed the maxArguments limit (3)");
        assertBadArguments(channel, cbor("edge", "sum3", List.of(1, 2, 3, 4)),
            "bad arguments for edge.sum3: cbor arguments exceed the maxArguments limit (3)");
      } finally {
        Net.shutdown(channel);
      }
    }
  }

  // ---- helpers ----

  /** The length n for which {@code form.apply(n)} is exactly {@code size} bytes. */
  private static int sizedTo(IntFunction<InvokeRequest> form, int size) {
    int n = Math.max(0, size - form.apply(0).getSerializedSize() - 8);
    while (form.apply(n + 1).getSerializedSize() <= size) {
      n++;
    }
    if (form.apply(n).getSerializedSize() != size) {
      throw new IllegalStateException("no length makes a request of exactly " + size + " bytes");
    }
    return n;
  }

  private static InvokeResponse assertAnswered(ManagedChannel channel, InvokeRequest request) {
    Raw.Outcome outcome = Raw.invoke(channel, request, DEADLINE);
    assertEquals(Status.Code.OK, outcome.code(), outcome.toString());
    return outcome.invokeResponse();
  }

  private static void assertBadArguments(ManagedChannel channel, InvokeRequest request,
      String message) {
    Raw.Outcome outcome = Raw.invoke(channel, request, DEADLINE);
    assertEquals(Status.Code.INVALID_ARGUMENT, outcome.code(), outcome.toString());
    assertEquals("ipc4j:BAD_ARGUMENTS", outcome.reason());
    assertEquals(message, outcome.description());
  }

  private static long resultNumber(InvokeResponse response) {
    return HostileRequests.resultTree(response).asLong();
  }

  private static String resultText(InvokeResponse response) {
    return HostileRequests.resultTree(response).asText();
  }

  private static InvokeRequest list(String object, String method, Value... args) {
    return HostileRequests.listRequest(object, method, List.of(), args);
  }

  private static InvokeRequest payload(String object, String method, String serializer,
      String text) {
    return HostileRequests.payloadRequest(object, method, List.of(), serializer,
        text.getBytes(StandardCharsets.UTF_8));
  }

  private static InvokeRequest json(String object, String method, String argument) {
    return payload(object, method, "json", "[" + argument + "]");
  }

  private static InvokeRequest cbor(String object, String method, byte[] argument) {
    byte[] data = new byte[argument.length + 1];
    data[0] = (byte) 0x81; // an array of one element
    System.arraycopy(argument, 0, data, 1, argument.length);
    return HostileRequests.payloadRequest(object, method, List.of(), "cbor", data);
  }

  private static InvokeRequest cbor(String object, String method, List<?> args) {
    try {
      ObjectMapper cbor = Mappers.cbor(Limits.defaults());
      return HostileRequests.payloadRequest(object, method, List.of(), "cbor",
          cbor.writeValueAsBytes(args));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A list nested {@code depth} levels deep around the number 1. */
  private static Value nested(int depth) {
    Value v = num(1);
    for (int i = 0; i < depth; i++) {
      v = Value.newBuilder().setListValue(ListValue.newBuilder().addValues(v)).build();
    }
    return v;
  }

  private static String nestedJson(int depth) {
    return "[".repeat(depth) + "1" + "]".repeat(depth);
  }

  private static byte[] nestedCbor(int depth) {
    byte[] bytes = new byte[depth + 1];
    Arrays.fill(bytes, 0, depth, (byte) 0x81);
    bytes[depth] = 0x01;
    return bytes;
  }

  private static Value num(double d) {
    return HostileRequests.num(d);
  }

  private static Value str(String s) {
    return HostileRequests.str(s);
  }
}
