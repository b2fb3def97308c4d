package io.ipc4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.type.TypeReference;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.ipc4j.core.Limits;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.SessionRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of what a server does with a request's bytes before it calls a method:
 * parse the {@code InvokeRequest} (alone, or as the call of a {@code Session} message), read its
 * arguments (a ListValue through {@link JsonValues}, or
 * a payload through the json, cbor or allow-listed java serializer), match its parameter_types
 * and convert each argument to typical parameter types. Whatever the bytes, the only failure
 * allowed is the documented {@link IllegalArgumentException}; Jazzer's bug detectors (unsafe
 * deserialization, reflective class loading, ...) watch the whole path.
 *
 * <p>Without {@code JAZZER_FUZZ} set (as in CI) this runs the stored corpus inputs in {@code
 * RequestDecodingFuzzTestInputs/decode/} as regression tests. {@code JAZZER_FUZZ=1 mvn -pl
 * ipc-core test -Dtest=RequestDecodingFuzzTest} fuzzes (see docs/reliability.md).
 */
class RequestDecodingFuzzTest {
  private static final Limits LIMITS = Limits.defaults().withMaxMessageSize(64 * 1024)
      .withMaxStringLength(16 * 1024).withMaxDepth(16).withMaxArguments(16);
  private static final Serializers SERIALIZERS = Serializers.of(
      List.of("json", "cbor", "java"), LIMITS, List.of(Bean.class.getName()));
  private static final Type[] TYPES = {
      Object.class, String.class, int.class, long.class, double.class, boolean.class,
      BigDecimal.class, BigInteger.class, byte[].class, Bean.class, Instant.class,
      new TypeReference<Map<String, Object>>() {}.getType(),
      new TypeReference<List<Integer>>() {}.getType(),
      new TypeReference<Optional<String>>() {}.getType()};

  /** A typical bean parameter (also on the java serializer's allow-list). */
  record Bean(String name, int value, List<String> tags) implements Serializable {}

  @FuzzTest(maxDuration = "60s")
  void decode(byte[] data) {
    InvokeRequest request;
    try {
      request = InvokeRequest.parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
      return; // grpc refuses the message before ipc4j sees it
    }
    Serializer serializer = request.hasPayload()
        ? SERIALIZERS.get(request.getPayload().getSerializer()) : SERIALIZERS.json();
    if (serializer == null) {
      return; // SERIALIZER_NOT_ACCEPTED
    }
    for (String name : request.getParameterTypesList()) {
      TypeNames.matches(name, int.class, int.class);
      TypeNames.matches(name, List.class, TYPES[12]);
    }
    List<Object> args;
    try {
      args = request.hasPayload()
          ? serializer.readArguments(request.getPayload().getData().toByteArray())
          : JsonValues.arguments(request.getArgs(), LIMITS.maxArguments(), LIMITS.maxDepth(),
              LIMITS.maxStringLength());
    } catch (IllegalArgumentException e) {
      return; // BAD_ARGUMENTS
    }
    assertTrue(args.size() <= LIMITS.maxArguments(), "too many arguments: " + args.size());
    for (Object arg : args) {
      for (Type type : TYPES) {
        try {
          serializer.convert(arg, type);
        } catch (IllegalArgumentException e) {
          // BAD_ARGUMENTS
        }
      }
    }
  }

  /** Inputs the fuzzer found: deserializer failures that once escaped as UNKNOWN. */
  @Test
  void findings() {
    for (String input : List.of("CgRjYWRkIhYKCREFAAAAAADwSQoJEQgAAAAAAABA",
        "EgFtKhEKBGNib3ISCYMBQmhpoWFh9Q==")) {
      decode(Base64.getDecoder().decode(input));
    }
  }

  /**
   * The same bytes as the request of a session call. Parsed within a {@code SessionRequest} they
   * make the request they make alone, under the call's id; or protobuf refuses the message (its
   * nesting counts two levels more), and the server parses the request alone, as {@link #decode}.
   */
  @FuzzTest(maxDuration = "60s")
  void decodeAsSessionCall(byte[] data) throws IOException {
    SessionRequest message;
    try {
      message = SessionRequest.parseFrom(sessionCall(7, data));
    } catch (InvalidProtocolBufferException e) {
      decode(data);
      return;
    }
    assertEquals(7, message.getCall().getId());
    assertEquals(InvokeRequest.parseFrom(data), message.getCall().getRequest());
    decode(message.getCall().getRequest().toByteArray());
  }

  /** The stored corpus inputs of {@link #decode}, sent as session calls. */
  @Test
  void corpusAsSessionCalls() throws IOException, URISyntaxException {
    Path corpus = Path.of(RequestDecodingFuzzTest.class
        .getResource("RequestDecodingFuzzTestInputs/decode").toURI());
    try (Stream<Path> inputs = Files.list(corpus)) {
      for (Path input : inputs.toList()) {
        decodeAsSessionCall(Files.readAllBytes(input));
      }
    }
    for (String input : List.of("CgRjYWRkIhYKCREFAAAAAADwSQoJEQgAAAAAAABA",
        "EgFtKhEKBGNib3ISCYMBQmhpoWFh9Q==")) {
      decodeAsSessionCall(Base64.getDecoder().decode(input));
    }
  }

  /** A session message whose call {@code id} carries {@code request} as it is. */
  static byte[] sessionCall(long id, byte[] request) throws IOException {
    ByteArrayOutputStream call = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(call);
    out.writeUInt64(SessionRequest.Call.ID_FIELD_NUMBER, id);
    out.writeByteArray(SessionRequest.Call.REQUEST_FIELD_NUMBER, request);
    out.flush();
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    out = CodedOutputStream.newInstance(message);
    out.writeByteArray(SessionRequest.CALL_FIELD_NUMBER, call.toByteArray());
    out.flush();
    return message.toByteArray();
  }
}
