package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.ipc4j.server.testing.GrpcurlClient;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What grpcurl does, over real TCP: a client that knows only the address (and no class generated
 * from ipc4j's .proto) learns the types through server reflection, sends JSON and reads JSON,
 * errors included. The JSON requests are the ones docs/grpcurl.md shows.
 */
class GrpcurlPathTest {
  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private static final String INVOKE = "ipc.v1.InvokeService/Invoke";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static IpcServer server;
  private static GrpcurlClient grpcurl;

  /** A small key-value store, like script.module.ipc's data store. */
  public static final class Store {
    private final Map<String, Object> values = new ConcurrentHashMap<>(Map.of("greeting", "hello"));

    public Object get(String key) {
      Object value = values.get(key);
      if (value == null) {
        throw new NoSuchElementException("no value for '" + key + "'");
      }
      return value;
    }

    public void set(String key, Object value) {
      values.put(key, value);
    }

    public long twoToThe53rdPlusOne() {
      return (1L << 53) + 1;
    }

    public long echo(long value) {
      return value;
    }

    public BigDecimal add(BigDecimal a, BigDecimal b) {
      return a.add(b);
    }
  }

  @BeforeAll
  static void start() throws Exception {
    server = IpcServer.builder().expose(new Store()).port(0).start();
    grpcurl = new GrpcurlClient("localhost", server.port(), DEADLINE, GrpcurlClient.REFLECTION_V1);
  }

  @AfterAll
  static void stop() {
    grpcurl.close();
    server.stop();
  }

  @Test
  void listShowsInvokeHealthAndBothReflectionServices() throws Exception {
    List<String> expected = List.of("grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
        "grpc.reflection.v1alpha.ServerReflection", "ipc.v1.InvokeService");
    assertEquals(expected, grpcurl.listServices().stream().sorted().toList());
    try (GrpcurlClient old = new GrpcurlClient("localhost", server.port(), DEADLINE,
        GrpcurlClient.REFLECTION_V1ALPHA)) {
      assertEquals(expected, old.listServices().stream().sorted().toList());
      assertEquals("{\n  \"value\": \"hello\"\n}", old.invoke(INVOKE,
          "{\"object\":\"kodi-IPC\",\"method\":\"get\",\"args\":[\"greeting\"]}"));
    }
  }

  @Test
  void reflectionServesTheContractAndItsImport() {
    FileDescriptorProto ipc =
        grpcurl.filesContainingSymbol("ipc.v1.InvokeService").get("ipc/v1/ipc.proto");
    assertEquals("ipc.v1", ipc.getPackage());
    assertEquals(List.of("google/protobuf/duration.proto", "google/protobuf/struct.proto",
        "google/rpc/status.proto"), ipc.getDependencyList());
    assertEquals(List.of("google/protobuf/struct.proto"),
        List.copyOf(grpcurl.filesByName("google/protobuf/struct.proto").keySet()));

    ServiceDescriptor service = grpcurl.service("ipc.v1.InvokeService");
    FileDescriptor file = service.getFile();
    assertEquals("google.protobuf.ListValue",
        file.findMessageTypeByName("InvokeRequest").findFieldByName("args").getMessageType()
            .getFullName());
    assertEquals(List.of("Invoke", "Describe", "InvokeStream", "Session"),
        service.getMethods().stream().map(MethodDescriptor::getName).toList());
    MethodDescriptor stream = service.findMethodByName("InvokeStream");
    assertTrue(stream.isServerStreaming() && !stream.isClientStreaming());
    assertEquals("ipc.v1.InvokeResponse", stream.getOutputType().getFullName());
  }

  @Test
  void invokesWithTheJsonTheDocsShow() throws Exception {
    String answer = grpcurl.invoke(INVOKE,
        "{\"object\":\"kodi-IPC\",\"method\":\"get\",\"args\":[\"greeting\"]}");
    assertEquals("{\n  \"value\": \"hello\"\n}", answer);
  }

  @Test
  void emptyObjectMeansTheDefaultObjectAndStructuredValuesRoundTrip() throws Exception {
    assertJson("{\"value\": null}", grpcurl.invoke(INVOKE,
        "{\"method\":\"set\",\"args\":[\"point\",{\"x\":1.5,\"tags\":[\"a\",true,null]}]}"));
    assertJson("{\"value\": {\"x\": 1.5, \"tags\": [\"a\", true, null]}}",
        grpcurl.invoke(INVOKE, "{\"method\":\"get\",\"args\":[\"point\"]}"));
  }

  @Test
  void describesAsGrpcurlDoes() throws Exception {
    JsonNode described = JSON.readTree(grpcurl.invoke("ipc.v1.InvokeService/Describe", "{}"));
    assertEquals("kodi-IPC", described.get("defaultObject").asText());
    assertEquals(JSON.readTree("[\"json\", \"cbor\"]"), described.get("serializers"));
    JsonNode object = described.get("objects").get(0);
    assertEquals("kodi-IPC", object.get("name").asText());
    assertEquals(Store.class.getName(), object.get("type").asText());
    assertEquals(JSON.readTree("{\"name\": \"get\", \"parameters\": [{\"name\": \"key\","
            + " \"type\": \"java.lang.String\"}], \"returnType\": \"java.lang.Object\"}"),
        method(object, "get"));
    assertEquals(JSON.readTree("{\"name\": \"add\", \"parameters\": [{\"name\": \"a\","
            + " \"type\": \"java.math.BigDecimal\"}, {\"name\": \"b\", \"type\":"
            + " \"java.math.BigDecimal\"}], \"returnType\": \"java.math.BigDecimal\"}"),
        method(object, "add"));
  }

  @Test
  void noSuchMethodIsUnimplementedWithErrorInfo() throws Exception {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> grpcurl.invoke(INVOKE, "{\"object\":\"kodi-IPC\",\"method\":\"nope\"}"));
    assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
    assertEquals("no method 'nope' on object 'kodi-IPC'", e.getStatus().getDescription());
    assertJson("{\"code\": 12, \"message\": \"no method 'nope' on object 'kodi-IPC'\","
        + " \"details\": [{\"@type\": \"type.googleapis.com/google.rpc.ErrorInfo\","
        + " \"reason\": \"NO_SUCH_METHOD\", \"domain\": \"ipc4j\","
        + " \"metadata\": {\"method\": \"nope\", \"object\": \"kodi-IPC\"}}]}",
        grpcurl.statusJson(e));
  }

  @Test
  void remoteExceptionCarriesErrorInfoDebugInfoAndRemoteError() throws Exception {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> grpcurl.invoke(INVOKE, "{\"method\":\"get\",\"args\":[\"missing\"]}"));
    assertEquals(Status.Code.UNKNOWN, e.getStatus().getCode());
    assertEquals("kodi-IPC.get threw java.util.NoSuchElementException: no value for 'missing'",
        e.getStatus().getDescription());
    JsonNode status = JSON.readTree(grpcurl.statusJson(e));
    assertEquals(2, status.get("code").asInt());
    JsonNode details = status.get("details");
    assertEquals(3, details.size(), details::toString);
    assertEquals(JSON.readTree("{\"@type\": \"type.googleapis.com/google.rpc.ErrorInfo\","
            + " \"reason\": \"REMOTE_EXCEPTION\", \"domain\": \"ipc4j\", \"metadata\":"
            + " {\"exception\": \"java.util.NoSuchElementException\", \"method\": \"get\","
            + " \"object\": \"kodi-IPC\"}}"),
        details.get(0));
    JsonNode debug = details.get(1);
    assertEquals("type.googleapis.com/google.rpc.DebugInfo", debug.get("@type").asText());
    String traceback = debug.get("detail").asText();
    String firstLines = "java.util.NoSuchElementException: no value for 'missing'\n"
        + "\tat " + Store.class.getName() + ".get(GrpcurlPathTest.java:";
    assertTrue(traceback.startsWith(firstLines), traceback);
    assertEquals(Store.class.getName() + ".get(GrpcurlPathTest.java:",
        debug.get("stackEntries").get(0).asText().replaceAll("\\d+\\)$", ""));
    JsonNode remote = details.get(2);
    assertEquals("type.googleapis.com/ipc.v1.RemoteError", remote.get("@type").asText());
    assertEquals("java.util.NoSuchElementException", remote.get("className").asText());
    assertEquals("no value for 'missing'", remote.get("message").asText());
    assertEquals("get", remote.get("frames").get(0).get("methodName").asText());
  }

  @Test
  void integersBeyondTwoToThe53rdAndDecimalsAreStrings() throws Exception {
    assertJson("{\"value\": \"9007199254740993\"}",
        grpcurl.invoke(INVOKE, "{\"method\":\"twoToThe53rdPlusOne\"}"));
    assertJson("{\"value\": \"9007199254740993\"}",
        grpcurl.invoke(INVOKE, "{\"method\":\"echo\",\"args\":[\"9007199254740993\"]}"));
    assertJson("{\"value\": \"-9223372036854775807\"}",
        grpcurl.invoke(INVOKE, "{\"method\":\"echo\",\"args\":[\"-9223372036854775807\"]}"));
    assertJson("{\"value\": \"0.3\"}",
        grpcurl.invoke(INVOKE, "{\"method\":\"add\",\"args\":[\"0.1\",\"0.2\"]}"));
    assertJson("{\"value\": \"123456789012345678901234567890.000000000000000000001\"}",
        grpcurl.invoke(INVOKE, "{\"method\":\"add\",\"args\":"
            + "[\"123456789012345678901234567890\",\"0.000000000000000000001\"]}"));
  }

  @Test
  void longMinValueIsAString() throws Exception {
    assertJson("{\"value\": \"-9223372036854775808\"}",
        grpcurl.invoke(INVOKE, "{\"method\":\"echo\",\"args\":[\"-9223372036854775808\"]}"));
  }

  @Test
  void integersWithinTwoToThe53rdAreNumbers() throws Exception {
    for (long n : new long[] {0, 42, -(1L << 53) + 1, (1L << 53) - 1}) {
      JsonNode answer = JSON.readTree(
          grpcurl.invoke(INVOKE, "{\"method\":\"echo\",\"args\":[" + n + "]}"));
      assertTrue(answer.get("value").isNumber(), answer::toString);
      assertEquals(n, answer.get("value").decimalValue().longValueExact());
    }
  }

  @Test
  void healthAnswersForTheServerAndEachObject() {
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(grpcurl.channel())
        .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    assertEquals(ServingStatus.SERVING,
        health.check(HealthCheckRequest.newBuilder().setService("").build()).getStatus());
    assertEquals(ServingStatus.SERVING,
        health.check(HealthCheckRequest.newBuilder().setService("kodi-IPC").build()).getStatus());
    StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class,
        () -> health.check(HealthCheckRequest.newBuilder().setService("nobody").build()));
    assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
  }

  private static JsonNode method(JsonNode object, String name) {
    for (JsonNode m : object.get("methods")) {
      if (m.get("name").asText().equals(name)) {
        return m;
      }
    }
    throw new AssertionError("no method '" + name + "' described in " + object);
  }

  /** Equal JSON, whitespace aside. */
  private static void assertJson(String expected, String actual) throws Exception {
    assertEquals(JSON.readTree(expected), JSON.readTree(actual), actual);
  }
}
