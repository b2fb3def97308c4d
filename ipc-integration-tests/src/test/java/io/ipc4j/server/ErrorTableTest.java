package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.protobuf.Value;
import com.google.rpc.DebugInfo;
import com.google.rpc.ErrorInfo;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.StatusProto;
import io.ipc4j.client.IpcBadArgumentsException;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcDeadlineExceededException;
import io.ipc4j.client.IpcException;
import io.ipc4j.client.IpcNoSuchMethodException;
import io.ipc4j.client.IpcNoSuchObjectException;
import io.ipc4j.client.IpcRemoteException;
import io.ipc4j.client.IpcUnauthenticatedException;
import io.ipc4j.client.IpcUnavailableException;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.proto.v1.Payload;
import io.ipc4j.proto.v1.RemoteError;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The status table of docs/errors.md, row by row: each failure as the Java client's exception and
 * as the raw gRPC status with its {@code google.rpc.ErrorInfo}, which clients in any language read.
 */
class ErrorTableTest {

  /** The object under test. */
  public static final class Calc {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    public int add(int a, int b) {
      return a + b;
    }

    public String fail(String message) {
      throw new IllegalStateException(message);
    }

    public Faulty faulty() {
      return new Faulty();
    }

    public Loop loop() {
      return new Loop();
    }

    public String block() throws InterruptedException {
      entered.countDown();
      return release.await(10, TimeUnit.SECONDS) ? "released" : "timed out";
    }
  }

  /** A result Jackson cannot write: its getter throws. */
  public static final class Faulty {
    public String getValue() {
      throw new UnsupportedOperationException("no value today");
    }
  }

  /** A result Jackson cannot write: it refers to itself. */
  public static final class Loop {
    public Loop getSelf() {
      return this;
    }
  }

  private final ExecutorService threads = Executors.newCachedThreadPool();
  private Calc calc;

  @BeforeEach
  void setUp() {
    calc = new Calc();
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    calc.release.countDown();
    threads.shutdownNow();
    assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
  }

  private Transport.Served serve(Transport transport) throws Exception {
    return transport.start(IpcServer.builder().expose("calc", calc));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void noSuchObject(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport);
        IpcClient client = served.client().build()) {
      IpcNoSuchObjectException e = assertThrows(IpcNoSuchObjectException.class,
          () -> client.getExposedObject("nope").call("add", 1, 2));
      assertEquals("no object 'nope' on this server; it exposes calc ("
          + served.call("nope", "add") + ")", e.getMessage());
      assertFailure(e, Status.Code.NOT_FOUND, "NO_SUCH_OBJECT");

      com.google.rpc.Status raw = raw(served, request("nope", "add", 1, 2));
      assertRaw(raw, Status.Code.NOT_FOUND, "no object 'nope' on this server; it exposes calc",
          "NO_SUCH_OBJECT", Map.of("object", "nope", "method", "add"));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void noSuchMethod(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport);
        IpcClient client = served.client().build()) {
      IpcNoSuchMethodException byName = assertThrows(IpcNoSuchMethodException.class,
          () -> client.getExposedObject("calc").call("sub", 1, 2));
      assertEquals("no method 'sub' on object 'calc' (" + served.call("calc", "sub") + ")",
          byName.getMessage());
      assertFailure(byName, Status.Code.UNIMPLEMENTED, "NO_SUCH_METHOD");

      IpcNoSuchMethodException byArity = assertThrows(IpcNoSuchMethodException.class,
          () -> client.getExposedObject("calc").call("add", 1, 2, 3));
      assertEquals("no method 'add' with 3 arguments on object 'calc'; it has add(int a, int b)"
          + " (takes 2 arguments) ("
          + served.call("calc", "add") + ")", byArity.getMessage());
      assertFailure(byArity, Status.Code.UNIMPLEMENTED, "NO_SUCH_METHOD");

      assertRaw(raw(served, request("calc", "add", 1)), Status.Code.UNIMPLEMENTED,
          "no method 'add' with 1 argument on object 'calc'; it has add(int a, int b)"
              + " (takes 2 arguments)",
          "NO_SUCH_METHOD", Map.of("object", "calc", "method", "add"));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void badArguments(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport);
        IpcClient client = served.client().build()) {
      IpcBadArgumentsException e = assertThrows(IpcBadArgumentsException.class,
          () -> client.getExposedObject("calc").call("add", "one", 2));
      assertEquals("argument 1 ('a') of calc.add(int a, int b): Cannot deserialize value of type"
          + " `int` from String \"one\": not a valid `int` value ("
          + served.call("calc", "add") + ")", e.getMessage());
      assertFailure(e, Status.Code.INVALID_ARGUMENT, "BAD_ARGUMENTS");

      IpcBadArgumentsException fraction = assertThrows(IpcBadArgumentsException.class,
          () -> client.getExposedObject("calc").call("add", 1.5, 2));
      assertTrue(fraction.getMessage().startsWith("argument 1 ('a') of calc.add(int a, int b): "),
          fraction.getMessage());

      IpcBadArgumentsException nullInt = assertThrows(IpcBadArgumentsException.class,
          () -> client.getExposedObject("calc").call("add", null, 2));
      assertTrue(nullInt.getMessage().startsWith("argument 1 ('a') of calc.add(int a, int b): "),
          nullInt.getMessage());

      assertRaw(raw(served, request("calc", "add", true, 2)), Status.Code.INVALID_ARGUMENT,
          "argument 1 ('a') of calc.add(int a, int b): Cannot deserialize value of type `int`"
              + " from Boolean value (token `JsonToken.VALUE_TRUE`)",
          "BAD_ARGUMENTS", Map.of("object", "calc", "method", "add"));

      InvokeRequest malformed = InvokeRequest.newBuilder().setObject("calc").setMethod("add")
          .setPayload(Payload.newBuilder().setSerializer("json")
              .setData(ByteString.copyFrom("[1, 2", StandardCharsets.UTF_8)))
          .build();
      com.google.rpc.Status status = raw(served, malformed);
      assertEquals(Status.Code.INVALID_ARGUMENT.value(), status.getCode());
      assertTrue(status.getMessage().startsWith("bad arguments for calc.add: malformed json"
          + " arguments: "), status.getMessage());
      assertEquals("BAD_ARGUMENTS", errorInfo(status).getReason());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void serializerNotAccepted(Transport transport) throws Exception {
    try (Transport.Served served =
            transport.start(IpcServer.builder().expose("calc", calc).serializers("json"));
        IpcClient client = served.client().serializer("cbor").build()) {
      IpcException e = assertThrows(IpcException.class,
          () -> client.getExposedObject("calc").call("add", 1, 2));
      assertEquals(IpcException.class, e.getClass());
      assertEquals("serializer 'cbor' is not accepted by this server; it accepts json ("
          + served.call("calc", "add") + ")", e.getMessage());
      assertFailure(e, Status.Code.FAILED_PRECONDITION, "SERIALIZER_NOT_ACCEPTED");

      InvokeRequest pickle = InvokeRequest.newBuilder().setObject("calc").setMethod("add")
          .setPayload(Payload.newBuilder().setSerializer("pickle")
              .setData(ByteString.copyFrom(new byte[] {(byte) 0x80, 4, 'K', 1})))
          .build();
      assertRaw(raw(served, pickle), Status.Code.FAILED_PRECONDITION,
          "serializer 'pickle' is not accepted by this server; it accepts json",
          "SERIALIZER_NOT_ACCEPTED", Map.of("object", "calc", "method", "add"));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void resultNotSerializable(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport);
        IpcClient json = served.client().build();
        IpcClient cbor = served.client().serializer("cbor").build()) {
      for (IpcClient client : new IpcClient[] {json, cbor}) {
        IpcException faulty = assertThrows(IpcException.class,
            () -> client.getExposedObject("calc").call("faulty"));
        assertEquals(IpcException.class, faulty.getClass());
        assertFailure(faulty, Status.Code.INTERNAL, "RESULT_NOT_SERIALIZABLE");
        assertTrue(faulty.getMessage().startsWith("the result of calc.faulty cannot be sent: "),
            faulty.getMessage());
        assertTrue(faulty.getMessage().contains("no value today"), faulty.getMessage());

        IpcException loop = assertThrows(IpcException.class,
            () -> client.getExposedObject("calc").call("loop"));
        assertFailure(loop, Status.Code.INTERNAL, "RESULT_NOT_SERIALIZABLE");
        assertTrue(loop.getMessage().startsWith("the result of calc.loop cannot be sent: "),
            loop.getMessage());
      }
      com.google.rpc.Status raw = raw(served, request("calc", "faulty"));
      assertEquals(Status.Code.INTERNAL.value(), raw.getCode());
      assertTrue(raw.getMessage().startsWith("the result of calc.faulty cannot be sent: "),
          raw.getMessage());
      ErrorInfo info = errorInfo(raw);
      assertEquals("RESULT_NOT_SERIALIZABLE", info.getReason());
      assertEquals("ipc4j", info.getDomain());
      assertEquals(Map.of("object", "calc", "method", "faulty"), info.getMetadataMap());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void remoteException(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport);
        IpcClient client = served.client().build()) {
      IpcRemoteException e = assertThrows(IpcRemoteException.class,
          () -> client.getExposedObject("calc").call("fail", "boom"));
      assertEquals(served.call("calc", "fail") + " threw: java.lang.IllegalStateException: boom",
          e.getMessage());
      assertFailure(e, Status.Code.UNKNOWN, "REMOTE_EXCEPTION");
      assertEquals("java.lang.IllegalStateException", e.getRemoteClassName());
      assertEquals("boom", e.getRemoteMessage());

      com.google.rpc.Status raw = raw(served, request("calc", "fail", "boom"));
      assertRaw(raw, Status.Code.UNKNOWN, "calc.fail threw java.lang.IllegalStateException: boom",
          "REMOTE_EXCEPTION", Map.of("object", "calc", "method", "fail",
              "exception", "java.lang.IllegalStateException"));
      DebugInfo debug = unpack(raw, DebugInfo.class);
      assertNotNull(debug);
      assertTrue(debug.getDetail().startsWith("java.lang.IllegalStateException: boom\n\tat "
          + Calc.class.getName() + ".fail("), debug.getDetail());
      assertEquals(debug.getStackEntries(0).substring(0, debug.getStackEntries(0).indexOf('(')),
          Calc.class.getName() + ".fail");
      RemoteError error = unpack(raw, RemoteError.class);
      assertNotNull(error);
      assertEquals("java.lang.IllegalStateException", error.getClassName());
      assertEquals("boom", error.getMessage());
      assertEquals("fail", error.getFrames(0).getMethodName());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void unauthenticated(Transport transport) throws Exception {
    try (Transport.Served served =
            transport.start(IpcServer.builder().expose("calc", calc).token("s3cret"));
        IpcClient client = served.client().build()) {
      IpcUnauthenticatedException e = assertThrows(IpcUnauthenticatedException.class,
          () -> client.getExposedObject("calc").call("add", 1, 2));
      assertEquals("this server needs a token: send 'authorization: Bearer <token>' ("
          + served.call("calc", "add") + ")", e.getMessage());
      assertFailure(e, Status.Code.UNAUTHENTICATED, "");

      com.google.rpc.Status raw = raw(served, request("calc", "add", 1, 2));
      assertEquals(Status.Code.UNAUTHENTICATED.value(), raw.getCode());
      assertNull(errorInfo(raw));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void unavailableWhileStopping(Transport transport) throws Exception {
    Transport.Served served = serve(transport);
    ManagedChannel channel = served.channel();
    try (IpcClient client = served.client().build()) {
      Future<Object> inFlight = threads.submit(() -> client.getExposedObject("calc").call("block"));
      assertTrue(calc.entered.await(10, TimeUnit.SECONDS));
      Future<?> stopping = threads.submit(served.server()::stop);
      awaitNotServing(channel);

      IpcUnavailableException e = assertThrows(IpcUnavailableException.class,
          () -> client.getExposedObject("calc").call("add", 1, 2));
      assertEquals("the server is stopping (" + served.call("calc", "add") + ")", e.getMessage());
      assertFailure(e, Status.Code.UNAVAILABLE, "");
      com.google.rpc.Status raw = raw(channel, request("calc", "add", 1, 2));
      assertEquals(Status.Code.UNAVAILABLE.value(), raw.getCode());
      assertEquals("the server is stopping", raw.getMessage());
      assertNull(errorInfo(raw));

      calc.release.countDown();
      assertEquals("released", inFlight.get(10, TimeUnit.SECONDS));
      stopping.get(10, TimeUnit.SECONDS);
    } finally {
      served.close();
      Transport.shutdown(channel);
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void unavailableWhenNothingListens(Transport transport) throws Exception {
    Transport.Address nowhere = transport.newAddress();
    try (IpcClient client = nowhere.client().build()) {
      IpcUnavailableException e = assertThrows(IpcUnavailableException.class,
          () -> client.getExposedObject("calc").call("add", 1, 2));
      assertTrue(e.getMessage().endsWith(" (calc.add at " + nowhere.target() + ")"),
          e.getMessage());
      assertFailure(e, Status.Code.UNAVAILABLE, "");
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void deadlineExceeded(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport);
        IpcClient client = served.client().deadline(Duration.ofMillis(200)).build();
        IpcClient patient = served.client().build()) {
      IpcDeadlineExceededException e = assertThrows(IpcDeadlineExceededException.class,
          () -> client.getExposedObject("calc").call("block"));
      assertFailure(e, Status.Code.DEADLINE_EXCEEDED, "");
      assertTrue(e.getMessage().endsWith(" (" + served.call("calc", "block") + ")"),
          e.getMessage());
      calc.release.countDown();
      // The server goes on serving; asked with a deadline that a loaded machine cannot miss.
      assertEquals(3L, patient.getExposedObject("calc").call("add", 1, 2));
    }
  }

  private static void assertFailure(IpcException e, Status.Code code, String reason) {
    assertEquals(code, e.getStatusCode());
    assertEquals(reason, e.getReason() == null ? "" : e.getReason().name());
  }

  private static void assertRaw(com.google.rpc.Status raw, Status.Code code, String message,
      String reason, Map<String, String> metadata) {
    assertEquals(code.value(), raw.getCode());
    assertEquals(message, raw.getMessage());
    ErrorInfo info = errorInfo(raw);
    assertNotNull(info, "no ErrorInfo in " + raw);
    assertEquals(reason, info.getReason());
    assertEquals("ipc4j", info.getDomain());
    assertEquals(metadata, info.getMetadataMap());
  }

  /** An Invoke request with JSON arguments, as grpcurl sends it. */
  static InvokeRequest request(String object, String method, Object... args) {
    ListValue.Builder list = ListValue.newBuilder();
    for (Object arg : args) {
      Value.Builder v = Value.newBuilder();
      if (arg instanceof Number n) {
        v.setNumberValue(n.doubleValue());
      } else if (arg instanceof Boolean b) {
        v.setBoolValue(b);
      } else {
        v.setStringValue(String.valueOf(arg));
      }
      list.addValues(v);
    }
    return InvokeRequest.newBuilder().setObject(object).setMethod(method).setArgs(list).build();
  }

  /** The status {@code request} fails with, sent through the generated stub. */
  static com.google.rpc.Status raw(Transport.Served served, InvokeRequest request)
      throws InterruptedException {
    ManagedChannel channel = served.channel();
    try {
      return raw(channel, request);
    } finally {
      Transport.shutdown(channel);
    }
  }

  static com.google.rpc.Status raw(ManagedChannel channel, InvokeRequest request) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> InvokeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
            .invoke(request));
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    if (status == null) {
      return com.google.rpc.Status.newBuilder().setCode(e.getStatus().getCode().value())
          .setMessage(String.valueOf(e.getStatus().getDescription())).build();
    }
    assertEquals(e.getStatus().getCode().value(), status.getCode());
    return status;
  }

  static ErrorInfo errorInfo(com.google.rpc.Status status) {
    return unpack(status, ErrorInfo.class);
  }

  static <T extends com.google.protobuf.Message> T unpack(com.google.rpc.Status status,
      Class<T> type) {
    for (com.google.protobuf.Any any : status.getDetailsList()) {
      if (any.is(type)) {
        try {
          return any.unpack(type);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          throw new AssertionError(e);
        }
      }
    }
    return null;
  }

  /** Waits (bounded) until the server's health says NOT_SERVING. */
  static void awaitNotServing(ManagedChannel channel) {
    awaitNotServing(channel, "");
  }

  /**
   * Waits (bounded) until the server's health says NOT_SERVING for {@code service} (an object's
   * name; "" for the server): a stopping server turns its services down one after another.
   */
  static void awaitNotServing(ManagedChannel channel, String service) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      ServingStatus status = HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
      if (status == ServingStatus.NOT_SERVING) {
        return;
      }
    }
    throw new AssertionError("health of '" + service + "' never turned NOT_SERVING");
  }
}
