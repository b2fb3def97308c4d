package io.ipc4j.server.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ListValue;
import com.google.protobuf.Value;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingServerCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.ipc4j.client.IpcClient;
import io.ipc4j.core.Limits;
import io.ipc4j.core.internal.WireHeaders;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.proto.v1.SessionRequest;
import io.ipc4j.proto.v1.SessionResponse;
import io.ipc4j.server.IpcServer;
import io.ipc4j.server.hardening.HostileRequests.Case;
import io.ipc4j.server.hardening.HostileRequests.Category;
import io.ipc4j.server.hardening.HostileRequests.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hostile input on the {@code Session} stream, through a plain grpc client over TCP and
 * in-process: bytes that are not a session message, calls that are malformed, reused and odd ids,
 * a client that never reads, messages over the size limit, deep and huge arguments, and floods of
 * oneway calls. Each gets the answer under its own id, or ends its session with a status naming
 * what was wrong; nothing grows without bound; and another client is served all along.
 */
class SessionHostileTest {
  private static final String NAME = "t";
  private static final String NETTY_STREAM = "io.grpc.netty.shaded.io.grpc.netty.NettyServerStream";

  /** What the sessions call. */
  public static final class Target {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch finished = new CountDownLatch(1);
    final List<Integer> recorded = new CopyOnWriteArrayList<>();
    volatile CountDownLatch holding = new CountDownLatch(0);
    volatile CountDownLatch recording = new CountDownLatch(0);
    /** Counted down by a negative record, the last one a test sends. */
    final CountDownLatch marked = new CountDownLatch(1);

    public int add(int a, int b) {
      return a + b;
    }

    public String echo(String s) {
      return s;
    }

    /** A string of {@code n} characters: a large answer from a small request. */
    public String big(int n) {
      return "x".repeat(n);
    }

    /** How deep {@code o} nests lists. */
    public int depth(Object o) {
      int depth = 0;
      for (Object next = o; next instanceof List<?> list && !list.isEmpty(); next = list.get(0)) {
        depth++;
      }
      return depth;
    }

    public int length(String s) {
      return s.length();
    }

    /** Waits for {@link #release}; tells whether an interrupt ended the wait. */
    public String hold() {
      entered.countDown();
      holding.countDown();
      try {
        return release.await(20, TimeUnit.SECONDS) ? "held" : "not released within 20 s";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted";
      } finally {
        finished.countDown();
      }
    }

    public void record(int i) {
      recorded.add(i);
      recording.countDown();
      if (i < 0) {
        marked.countDown();
      }
    }
  }

  /** The first status other than OK a Session stream ends with on the server. */
  static final class Ends implements ServerInterceptor {
    final CompletableFuture<Status> first = new CompletableFuture<>();

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      if (!call.getMethodDescriptor().getFullMethodName().endsWith("/Session")) {
        return next.startCall(call, headers);
      }
      return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
        @Override
        public void close(Status status, Metadata trailers) {
          if (!status.isOk()) {
            first.complete(status);
          }
          super.close(status, trailers);
        }
      }, headers);
    }
  }

  /** How a session opened with the generated stub ended; its answers are not kept. */
  static final class Ended implements StreamObserver<SessionResponse> {
    final CompletableFuture<Status> status = new CompletableFuture<>();

    @Override
    public void onNext(SessionResponse answer) {}

    @Override
    public void onError(Throwable t) {
      status.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      status.complete(Status.OK);
    }
  }

  /** The refusals the server logs, as their text. */
  static final class Refusals implements AutoCloseable {
    private final Logger logger = Logger.getLogger("io.ipc4j.server.InvokeService");
    final List<String> lines = new CopyOnWriteArrayList<>();
    final CompletableFuture<String> first = new CompletableFuture<>();
    private final Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getMessage().startsWith("refused")) {
          lines.add(record.getMessage());
          first.complete(record.getMessage());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };

    Refusals() {
      logger.addHandler(handler);
    }

    @Override
    public void close() {
      logger.removeHandler(handler);
    }
  }

  private final Target target = new Target();

  @AfterEach
  void release() {
    target.release.countDown();
  }

  private Net.Served start(Net net) throws Exception {
    return start(net, IpcServer.builder());
  }

  private Net.Served start(Net net, IpcServer.Builder builder) throws Exception {
    return net.start(builder.expose(NAME, target));
  }

  /** A normal call from a second client, over a session, succeeds. */
  private static void assertServed(Net.Served served) {
    assertServed(served.client().name(NAME));
  }

  private static void assertServed(IpcClient.Builder client) {
    try (IpcClient other = client.sessions(true).build()) {
      assertEquals(5L, other.getExposedObject().call("add", 2, 3));
    }
  }

  static InvokeRequest request(String method, Value... args) {
    return HostileRequests.listRequest(NAME, method, List.of(), args);
  }

  static SessionRequest call(long id, InvokeRequest request) {
    return SessionRequest.newBuilder().setCall(SessionRequest.Call.newBuilder().setId(id)
        .setRequest(request)).build();
  }

  static SessionRequest oneway(long id, InvokeRequest request) {
    return SessionRequest.newBuilder().setCall(SessionRequest.Call.newBuilder().setId(id)
        .setRequest(request).setOneway(true)).build();
  }

  static SessionRequest cancel(long id) {
    return SessionRequest.newBuilder().setCancel(SessionRequest.Cancel.newBuilder().setId(id))
        .build();
  }

  private static void assertAnswer(SessionResponse answer, long id, double value) {
    assertEquals(id, answer.getId());
    assertTrue(answer.hasAnswer(), answer::toString);
    assertEquals(value, answer.getAnswer().getValue().getNumberValue(), answer.toString());
  }

  private static void assertError(SessionResponse answer, long id, Status.Code code,
      String reason, String message) {
    assertEquals(id, answer.getId());
    Raw.Outcome outcome = SessionWire.outcome(answer, 0);
    assertEquals(code, outcome.code(), outcome::toString);
    assertEquals(reason, outcome.reason(), outcome::toString);
    assertEquals(message, outcome.description());
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void bytesThatAreNoSessionMessageEndTheSessionNamingWhy(Net net) throws Exception {
    try (LogCounter logs = new LogCounter("io.grpc.internal.SerializingExecutor");
        Net.Served served = start(net)) {
      ManagedChannel channel = served.channel();
      try (SessionWire session = SessionWire.open(channel)) {
        assertAnswer(session.call(1, request("add", HostileRequests.num(1),
            HostileRequests.num(2)).toByteArray()), 1, 3);
        session.send(new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3});
        Raw.Outcome end = SessionWire.outcome(session.awaitEnd(), 0);
        assertEquals(Status.Code.INVALID_ARGUMENT, end.code(), end::toString);
        assertEquals("ipc4j:BAD_ARGUMENTS", end.reason());
        assertEquals("malformed message: not an ipc.v1.SessionRequest (Protocol message tag had"
            + " invalid wire type.)", end.description());
        assertEquals(List.of(), logs.counts().keySet().stream().toList(), "nothing logged");
        assertServed(served);
      } finally {
        Net.shutdown(channel);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void aCallWhoseRequestIsMalformedFailsAloneUnderItsId(Net net) throws Exception {
    try (Net.Served served = start(net)) {
      ManagedChannel channel = served.channel();
      try (SessionWire session = SessionWire.open(channel)) {
        assertError(session.call(5, new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3}), 5,
            Status.Code.INVALID_ARGUMENT, "ipc4j:BAD_ARGUMENTS", "malformed request: not an"
                + " ipc.v1.InvokeRequest (Protocol message tag had invalid wire type.)");
        // method (field 2) as bytes that are not UTF-8
        assertError(session.call(6, new byte[] {0x12, 2, (byte) 0xc3, 0x28}), 6,
            Status.Code.INVALID_ARGUMENT, "ipc4j:BAD_ARGUMENTS", "malformed request: not an"
                + " ipc.v1.InvokeRequest (Protocol message had invalid UTF-8.)");
        // a request cut short
        byte[] whole = request("echo", HostileRequests.str("hello")).toByteArray();
        assertError(session.call(7, Arrays.copyOf(whole, whole.length - 3)), 7,
            Status.Code.INVALID_ARGUMENT, "ipc4j:BAD_ARGUMENTS", "malformed request: not an"
                + " ipc.v1.InvokeRequest (While parsing a protocol message, the input ended"
                + " unexpectedly in the middle of a field.  This could mean either that the"
                + " input has been truncated or that an e\u2026)");
        assertAnswer(session.call(8, request("add", HostileRequests.num(4),
            HostileRequests.num(5)).toByteArray()), 8, 9);
        session.halfClose();
        assertEquals(Status.Code.OK, session.awaitEnd().getStatus().getCode());
        assertEquals(List.of(5L, 6L, 7L, 8L),
            session.received.stream().map(SessionResponse::getId).toList());
        assertServed(served);
      } finally {
        Net.shutdown(channel);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void emptyMessagesUnknownKindsAndStrayCancelsAreIgnored(Net net) throws Exception {
    try (Net.Served served = start(net)) {
      ManagedChannel channel = served.channel();
      try (SessionWire session = SessionWire.open(channel)) {
        assertAnswer(session.call(1, request("add", HostileRequests.num(1),
            HostileRequests.num(1)).toByteArray()), 1, 2);
        session.send(new byte[0]); // no kind at all
        session.send(new byte[] {0x18, 0x01}); // field 3, a kind this server does not know
        session.send(new byte[] {0x2a, 0x02, 0x08, 0x01}); // field 5, length-delimited
        session.send(cancel(99)); // never in flight
        session.send(cancel(1)); // answered already
        session.send(cancel(-1));
        // an empty call: id 0, no request, so the default object and no method
        assertError(session.call(0, new byte[0]), 0, Status.Code.UNIMPLEMENTED,
            "ipc4j:NO_SUCH_METHOD", "no method '' on object 't'");
        assertAnswer(session.call(2, request("add", HostileRequests.num(2),
            HostileRequests.num(2)).toByteArray()), 2, 4);
        session.halfClose();
        assertEquals(Status.Code.OK, session.awaitEnd().getStatus().getCode());
        assertEquals(List.of(1L, 0L, 2L),
            session.received.stream().map(SessionResponse::getId).toList());
        assertServed(served);
      } finally {
        Net.shutdown(channel);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void malformedCallsFailAloneNamingWhatWasWrong(Net net) throws Exception {
    try (Net.Served served = start(net)) {
      ManagedChannel channel = served.channel();
      try (SessionWire session = SessionWire.open(channel)) {
        assertError(session.call(1, InvokeRequest.newBuilder().setObject(NAME).build()
            .toByteArray()), 1, Status.Code.UNIMPLEMENTED, "ipc4j:NO_SUCH_METHOD",
            "no method '' on object 't'");
        assertError(session.call(2, HostileRequests.listRequest("nope", "add", List.of())
            .toByteArray()), 2, Status.Code.NOT_FOUND, "ipc4j:NO_SUCH_OBJECT",
            "no object 'nope' on this server; it exposes t");
        assertError(session.call(3, HostileRequests.payloadRequest(NAME, "add", List.of(),
            "json", HostileRequests.utf8("[1, {not json")).toByteArray()), 3,
            Status.Code.INVALID_ARGUMENT, "ipc4j:BAD_ARGUMENTS", "bad arguments for t.add:"
                + " malformed json arguments: Unexpected character ('n' (code 110)): was"
                + " expecting double-quote to start field name");
        assertError(session.call(4, HostileRequests.listRequest(NAME, "add",
            List.of("java.lang.Runtime", "int"), HostileRequests.num(1), HostileRequests.num(2))
            .toByteArray()), 4, Status.Code.INVALID_ARGUMENT, "ipc4j:BAD_ARGUMENTS", "parameter_types"
            + " [java.lang.Runtime, int] match no overload of t.add; it has add(int a, int b)");
        assertError(session.call(5, request("add", HostileRequests.str("x"),
            HostileRequests.num(2)).toByteArray()), 5, Status.Code.INVALID_ARGUMENT,
            "ipc4j:BAD_ARGUMENTS", "argument 1 ('a') of t.add(int a, int b): Cannot deserialize"
                + " value of type `int` from String \"x\": not a valid `int` value");
        assertError(session.call(6, HostileRequests.payloadRequest(NAME, "add", List.of(),
            "pickle", new byte[] {1}).toByteArray()), 6, Status.Code.FAILED_PRECONDITION,
            "ipc4j:SERIALIZER_NOT_ACCEPTED",
            "serializer 'pickle' is not accepted by this server; it accepts json, cbor");
        assertError(session.call(7, request("getClass").toByteArray()), 7,
            Status.Code.UNIMPLEMENTED, "ipc4j:NO_SUCH_METHOD", "no method 'getClass' on object 't'");
        assertAnswer(session.call(8, request("add", HostileRequests.num(3),
            HostileRequests.num(4)).toByteArray()), 8, 7);
        assertServed(served);
      } finally {
        Net.shutdown(channel);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void reusedIdsAreRefusedWithoutDisturbingTheCallInFlight(Net net) throws Exception {
    try (Net.Served served = start(net)) {
      ManagedChannel channel = served.channel();
      try (SessionWire session = SessionWire.open(channel)) {
        session.send(call(7, request("hold")));
        assertTrue(target.entered.await(10, TimeUnit.SECONDS));
        assertError(session.call(7, request("add", HostileRequests.num(1),
            HostileRequests.num(2)).toByteArray()), 7, Status.Code.INVALID_ARGUMENT, "",
            "call id 7 is already in flight on this session");
        // a oneway call under the same id runs, and leaves call 7 as it was: cancellable
        session.send(oneway(7, request("record", HostileRequests.num(70))));
        assertAnswer(session.call(8, request("add", HostileRequests.num(1),
            HostileRequests.num(2)).toByteArray()), 8, 3);
        session.send(cancel(7));
        assertTrue(target.finished.await(10, TimeUnit.SECONDS));
        assertEquals(List.of(70), target.recorded);
        // call 7 was cancelled: no answer comes; 7 is free again once the server let it go,
        // a moment after the method returned
        SessionResponse again = null;
        for (int i = 0; i < 1000 && (again == null || again.hasError()); i++) {
          again = session.call(7, request("add", HostileRequests.num(3), HostileRequests.num(4))
              .toByteArray());
          if (again.hasError()) {
            assertError(again, 7, Status.Code.INVALID_ARGUMENT, "",
                "call id 7 is already in flight on this session");
          }
        }
        assertAnswer(again, 7, 7);
        for (long id : new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 53}) {
          SessionResponse echoed = session.call(id, request("echo",
              HostileRequests.str("id " + id)).toByteArray());
          assertEquals(id, echoed.getId());
          assertEquals("id " + id, echoed.getAnswer().getValue().getStringValue());
        }
        session.halfClose();
        assertEquals(Status.Code.OK, session.awaitEnd().getStatus().getCode());
        assertEquals(List.of(), session.received.stream()
            .filter(r -> r.getAnswer().getValue().getStringValue().startsWith("held")
                || r.getAnswer().getValue().getStringValue().equals("interrupted")).toList(),
            "a cancelled call was answered");
        assertServed(served);
      } finally {
        Net.shutdown(channel);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void aClientThatNeverReadsIsCutOffWhileOthersAreServed(Net net) throws Exception {
    Ends ends = new Ends();
    try (Net.Served served = start(net, IpcServer.builder().intercept(ends))) {
      ManagedChannel channel = served.channel();
      try (SessionWire session = SessionWire.openWithoutReading(channel)) {
        int size = 128 * 1024;
        int calls = 1500; // answers the transport buffers, 256 in flight, 512 refusals: fewer
        for (int id = 1; id <= calls; id++) {
          session.send(call(id, request("big", HostileRequests.num(size + id))));
          if (id == 300) {
            assertServed(served);
          }
        }
        Status cut = ends.first.get(30, TimeUnit.SECONDS);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, cut.getCode(), cut::toString);
        assertEquals("more than 512 answers wait for the client to read them",
            cut.getDescription());
        assertServed(served);

        session.read();
        StatusRuntimeException end = session.awaitEnd();
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, end.getStatus().getCode(), end::toString);
        assertEquals("more than 512 answers wait for the client to read them",
            end.getStatus().getDescription());
        int answered = 0;
        int refused = 0;
        for (SessionResponse r : session.received) {
          assertTrue(r.getId() >= 1 && r.getId() <= calls, r::toString);
          if (r.hasAnswer()) {
            answered++;
            assertEquals(size + r.getId(), r.getAnswer().getValue().getStringValue().length());
          } else {
            refused++;
            assertError(r, r.getId(), Status.Code.RESOURCE_EXHAUSTED, "",
                "more than 256 calls in flight on this session; t.big was not run");
          }
        }
        assertTrue(answered <= 256 + 64 && refused <= 513,
            answered + " answers and " + refused + " refusals reached the client");
      } finally {
        Net.shutdown(channel);
      }
    }
  }

  /** A list holding a list ... {@code depth} deep, around the number 1. */
  static Value nested(int depth) {
    Value v = HostileRequests.num(1);
    for (int i = 0; i < depth; i++) {
      v = Value.newBuilder().setListValue(ListValue.newBuilder().addValues(v)).build();
    }
    return v;
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void oversizedDeepAndHugeArgumentsGetInvokesAnswers(Net net) throws Exception {
    int limit = 64 * 1024;
    try (LogCounter logs = new LogCounter(NETTY_STREAM);
        Net.Served served = start(net, IpcServer.builder()
            .limits(Limits.defaults().withMaxMessageSize(limit)))) {
      ManagedChannel channel = served.channel();
      try (SessionWire session = SessionWire.open(channel)) {
        // as deep as protobuf parses an Invoke request: the session's own two levels do not count
        assertAnswer(session.call(1, request("depth", nested(HostileRequests
            .MAX_PROTOBUF_LIST_NESTING)).toByteArray()), 1, HostileRequests
            .MAX_PROTOBUF_LIST_NESTING);
        assertError(session.call(2, request("depth", nested(HostileRequests
            .MAX_PROTOBUF_LIST_NESTING + 1)).toByteArray()), 2, Status.Code.INVALID_ARGUMENT,
            "ipc4j:BAD_ARGUMENTS", "malformed request: not an ipc.v1.InvokeRequest (Protocol"
                + " message had too many levels of nesting.  May be malicious.  Use"
                + " setRecursionLimit() to increase the recursion depth limit.)");
        assertError(session.call(3, HostileRequests.payloadRequest(NAME, "depth", List.of(),
            "json", HostileRequests.utf8("[" + "[".repeat(100) + "]".repeat(100) + "]"))
            .toByteArray()), 3, Status.Code.INVALID_ARGUMENT, "ipc4j:BAD_ARGUMENTS",
            "bad arguments for t.depth: json arguments exceed the maxDepth limit (64)");
        assertAnswer(session.call(4, request("length", HostileRequests.str("y".repeat(60_000)))
            .toByteArray()), 4, 60_000);
        assertError(session.call(5, HostileRequests.payloadRequest(NAME, "add", List.of(),
            "json", HostileRequests.utf8("[" + "9".repeat(300) + ", 1]")).toByteArray()), 5,
            Status.Code.INVALID_ARGUMENT, "ipc4j:BAD_ARGUMENTS",
            "bad arguments for t.add: json arguments exceed the maxNumberLength limit (256)");
        byte[] oversize = request("length", HostileRequests.str("z".repeat(limit)))
            .toByteArray();
        if (net == Net.TCP) {
          // grpc's transport refuses the message before ipc4j reads it: it logs the refusal and
          // ends the stream, as it does for any stream
          session.send(SessionWire.callBytes(6, oversize));
          assertEquals(null, wrongEnd(session.awaitEnd(), limit));
          assertEquals(Map.of(NETTY_STREAM + " WARNING", 1L), logs.counts());
        } else { // refused alone, and the session goes on
          assertError(session.call(6, oversize), 6, Status.Code.RESOURCE_EXHAUSTED, "",
              "request of " + oversize.length + " bytes is larger than the limit of " + limit);
          assertAnswer(session.call(7, request("add", HostileRequests.num(1),
              HostileRequests.num(2)).toByteArray()), 7, 3);
        }
        assertServed(served);
      } finally {
        Net.shutdown(channel);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void aFloodOfOnewayCallsIsBoundedPerSession(Net net) throws Exception {
    try (Refusals refusals = new Refusals(); Net.Served served = start(net)) {
      ManagedChannel channel = served.channel();
      try (SessionWire session = SessionWire.open(channel)) {
        session.send(oneway(1, request("hold")));
        assertTrue(target.entered.await(10, TimeUnit.SECONDS));
        int queued = 10_000;
        for (int id = 2; id <= queued + 2; id++) { // the last one is one too many
          session.send(oneway(id, request("record", HostileRequests.num(id))));
        }
        String refused = refusals.first.get(30, TimeUnit.SECONDS);
        assertTrue(refused.startsWith("refused oneway call t.record from "), refused);
        assertTrue(refused.endsWith(": more than 10000 oneway calls queued on this session"),
            refused);
        // calls that want an answer still get one, and other clients are served
        assertAnswer(session.call(1, request("add", HostileRequests.num(1),
            HostileRequests.num(2)).toByteArray()), 1, 3);
        assertServed(served);

        target.recording = new CountDownLatch(1);
        target.release.countDown();
        assertTrue(target.recording.await(10, TimeUnit.SECONDS)); // the queue has room again
        session.send(oneway(0, request("record", HostileRequests.num(-1))));
        assertTrue(target.marked.await(60, TimeUnit.SECONDS),
            () -> target.recorded.size() + " oneway calls run; " + refusals.lines);
        List<Integer> expected = new ArrayList<>();
        for (int id = 2; id <= queued + 1; id++) {
          expected.add(id);
        }
        expected.add(-1);
        assertEquals(expected, target.recorded); // in order; the refused one never ran
        assertEquals(1, refusals.lines.size(), refusals.lines::toString);
        session.halfClose();
        assertEquals(Status.Code.OK, session.awaitEnd().getStatus().getCode());
      } finally {
        Net.shutdown(channel);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void theOnewayCallsQueuedOnASessionHoldBoundedBytes(Net net) throws Exception {
    try (Refusals refusals = new Refusals(); Net.Served served = start(net)) {
      ManagedChannel channel = served.channel();
      try (SessionWire session = SessionWire.open(channel)) {
        session.send(oneway(1, request("hold")));
        assertTrue(target.entered.await(10, TimeUnit.SECONDS));
        InvokeRequest mebibyte = request("length", HostileRequests.str("m".repeat(1024 * 1024)));
        int fit = 63; // with the running call's few bytes, a 64th would pass 64 MiB
        for (int id = 2; id <= fit + 2; id++) {
          session.send(oneway(id, mebibyte));
        }
        String refused = refusals.first.get(30, TimeUnit.SECONDS);
        assertTrue(refused.endsWith(": more than 67108864 bytes of oneway calls queued on this"
            + " session"), refused);
      } finally {
        Net.shutdown(channel);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Net.class)
  void sessionOnewayCallsCountTowardTheConnectionsOnewayBudget(Net net) throws Exception {
    try (Refusals refusals = new Refusals();
        Net.Served served = start(net, IpcServer.builder().maxOnewayCalls(2, 1000))) {
      ManagedChannel channel = served.channel();
      List<StreamObserver<SessionRequest>> sessions = new ArrayList<>();
      List<Ended> ends = new ArrayList<>();
      try {
        target.holding = new CountDownLatch(2);
        for (int i = 0; i < 3; i++) { // three sessions on one connection
          Ended end = new Ended();
          StreamObserver<SessionRequest> session =
              InvokeServiceGrpc.newStub(channel).session(end);
          sessions.add(session);
          ends.add(end);
          session.onNext(oneway(1, request("hold")));
        }
        assertTrue(target.holding.await(10, TimeUnit.SECONDS));
        String refused = refusals.first.get(10, TimeUnit.SECONDS);
        assertTrue(refused.startsWith("refused oneway session call from "), refused);
        assertTrue(refused.endsWith(": too many oneway calls on this connection: 2"
            + " (maxOnewayCalls per connection); try again later"), refused);
        // the same budget as oneway Invoke calls
        Metadata oneway = new Metadata();
        oneway.put(WireHeaders.ONEWAY, "1");
        Raw.Outcome invoke = Raw.invoke(ClientInterceptors.intercept(channel,
            MetadataUtils.newAttachHeadersInterceptor(oneway)), request("record",
                HostileRequests.num(1)), Duration.ofSeconds(10));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, invoke.code(), invoke::toString);
        assertEquals("too many oneway calls on this connection: 2 (maxOnewayCalls per"
            + " connection); try again later", invoke.description());
        assertServed(served); // another connection

        target.release.countDown();
        sessions.forEach(StreamObserver::onCompleted);
        for (Ended end : ends) { // each ends once its calls are done and their budget given back
          assertEquals(Status.OK, end.status.get(10, TimeUnit.SECONDS));
        }
        target.recording = new CountDownLatch(1);
        try (SessionWire session = SessionWire.open(channel)) {
          session.send(oneway(1, request("record", HostileRequests.num(7))));
          assertTrue(target.recording.await(10, TimeUnit.SECONDS), "budget not given back");
        }
        assertEquals(List.of(7), target.recorded);
      } finally {
        Net.shutdown(channel);
      }
    }
  }

  /**
   * The hostile requests of {@link HostileInputTest}, each sent as a session call on one of a few
   * long-lived sessions and as an {@code Invoke}: the session call gets the answer the docs' table
   * gives it, the same as {@code Invoke} gets, under its own id, and its session goes on. Only a
   * message over the size limit ends its session over TCP (sent on a session of its own).
   */
  @ParameterizedTest
  @EnumSource(Net.class)
  void hostileRequestsAsSessionCallsGetInvokesAnswers(Net net) throws Exception {
    long seed = Hardening.seed();
    int requests = Hardening.sessionRequests();
    HostileRequests generator = new HostileRequests(seed, net);
    HostileTarget hostile = new HostileTarget();
    int lanes = 4;
    List<String> failures = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(lanes);
    try (LogCounter logs = new LogCounter("io.grpc.internal.SerializingExecutor", NETTY_STREAM,
            "io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler");
        Net.Served served = net.start(IpcServer.builder().expose(HostileRequests.NAME, hostile))) {
      ManagedChannel channel = served.channel();
      // what the transports load for themselves is loaded before the log starts
      assertServed(served.client().name(HostileRequests.NAME));
      try (ClassLoadLog classLoads = ClassLoadLog.start()) {
        List<Future<?>> lanesDone = new ArrayList<>();
        for (int lane = 0; lane < lanes; lane++) {
          int first = lane;
          lanesDone.add(pool.submit(() -> {
            SessionWire session = SessionWire.open(channel);
            try {
              for (int i = first; i < requests && failures.size() < 25; i += lanes) {
                Case c = generator.generate(i);
                String wrong = c.category() == Category.OVERSIZE
                    ? oversize(channel, net, c) : sessionCall(session, channel, c);
                if (wrong != null) {
                  failures.add("request #" + i + " (" + c.category() + ", seed " + seed + "): "
                      + wrong);
                }
                if (session.end.isDone()) {
                  failures.add("request #" + i + " ended its session: " + session.end.get());
                  session = SessionWire.open(channel);
                }
              }
              session.halfClose();
              assertEquals(Status.Code.OK, session.awaitEnd().getStatus().getCode());
            } finally {
              session.close();
            }
            return null;
          }));
        }
        for (Future<?> lane : lanesDone) {
          lane.get(5, TimeUnit.MINUTES);
        }
        assertEquals(List.of(), failures);
        assertServed(served.client().name(HostileRequests.NAME));
        assertEquals(0, hostile.closed.get(), "a request closed the object");
        assertEquals(Set.of(), GadgetFlags.initialised(), "gadgets initialised");
        List<String> named = new ArrayList<>(GadgetFlags.ALL);
        named.addAll(GadgetFlags.JDK_GADGETS);
        named.add(HostileTarget.Circle.class.getName());
        assertEquals(Set.of(), classLoads.loaded(named),
            "classes named in requests were loaded");
      } finally {
        Net.shutdown(channel);
      }
      System.out.println("HOSTILE-SESSION " + net + " seed=" + seed + " requests=" + requests
          + " logs=" + logs.counts());
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  /** Sends case {@code c} as a session call and as an Invoke; what was wrong, or null. */
  private static String sessionCall(SessionWire session, ManagedChannel channel, Case c)
      throws Exception {
    long start = System.nanoTime();
    SessionResponse answer = session.call(c.index(), c.bytes());
    Raw.Outcome outcome = SessionWire.outcome(answer, System.nanoTime() - start);
    if (answer.getId() != c.index()) {
      return "answered under id " + answer.getId();
    }
    Kind kind = Kind.of(outcome);
    if (!c.expect().kinds().contains(kind)) {
      return "expected " + HostileRequests.names(c.expect().kinds()) + " but got " + outcome;
    }
    if (kind == Kind.OK) {
      return c.expect().check().apply(outcome.invokeResponse());
    }
    return sameAsInvoke(channel, c.bytes(), outcome);
  }

  /** Null when {@code Invoke} answers {@code request} as a session call did; else the two. */
  private static String sameAsInvoke(ManagedChannel channel, byte[] request,
      Raw.Outcome outcome) {
    Raw.Outcome invoke = Raw.invoke(channel, request, Duration.ofSeconds(30));
    if (invoke.code() == Status.Code.OK) {
      return outcome.code() == Status.Code.OK
          && invoke.invokeResponse().equals(outcome.invokeResponse())
          ? null : "Invoke got " + invoke.invokeResponse() + " but the session call " + outcome;
    }
    // protobuf words a parse failure after how it read the bytes (grpc's in-process transport
    // hands Invoke a stream), so for malformed requests only the start is compared
    String malformed = "malformed request: not an ipc.v1.InvokeRequest (";
    boolean sameText = invoke.description().equals(outcome.description())
        || invoke.description().startsWith(malformed) && outcome.description().startsWith(malformed);
    if (invoke.code() != outcome.code() || !invoke.reason().equals(outcome.reason()) || !sameText) {
      return "Invoke got " + invoke + " but the session call " + outcome;
    }
    return null;
  }

  /** Sends oversized case {@code c} on a session of its own; what was wrong, or null. */
  private static String oversize(ManagedChannel channel, Net net, Case c) throws Exception {
    try (SessionWire alone = SessionWire.open(channel)) {
      CompletableFuture<SessionResponse> answer = alone.answer(c.index());
      alone.send(SessionWire.callBytes(c.index(), c.bytes()));
      if (net == Net.TCP) { // grpc's transport refuses the message and ends the stream
        String wrong = wrongEnd(alone.awaitEnd(), HostileRequests.LIMITS.maxMessageSize());
        return wrong == null ? null : "the session ended " + wrong;
      }
      Raw.Outcome outcome = SessionWire.outcome(answer.get(30, TimeUnit.SECONDS), 0);
      return Kind.of(outcome) == Kind.TOO_LARGE ? null : "got " + outcome;
    }
  }

  /**
   * Null when {@code end} is how grpc's Netty transport ends a stream whose message is over
   * {@code limit}: its status, or the stream reset that may overtake it; else the end.
   */
  private static String wrongEnd(StatusRuntimeException end, int limit) {
    Status status = end.getStatus();
    String description = String.valueOf(status.getDescription());
    boolean refused = status.getCode() == Status.Code.RESOURCE_EXHAUSTED
        && description.matches("gRPC message exceeds maximum size " + limit + ": [0-9]+");
    boolean reset = status.getCode() == Status.Code.CANCELLED
        && description.equals("RST_STREAM closed stream. HTTP/2 error code: CANCEL");
    return refused || reset ? null : status.toString();
  }

  /** The stored inputs of the request fuzz test, sent as session calls and as Invoke. */
  @ParameterizedTest
  @EnumSource(Net.class)
  void theFuzzCorpusAsSessionCallsGetsInvokesAnswers(Net net) throws Exception {
    Path corpus = Path.of("..", "ipc-core", "src", "test", "resources", "io", "ipc4j", "core",
        "internal", "RequestDecodingFuzzTestInputs", "decode");
    List<byte[]> inputs = new ArrayList<>();
    try (Stream<Path> files = Files.list(corpus)) {
      for (Path file : files.sorted().toList()) {
        inputs.add(Files.readAllBytes(file));
      }
    }
    assertTrue(inputs.size() >= 10, inputs.size() + " inputs in " + corpus);
    try (Net.Served served = net.start(IpcServer.builder()
        .expose(HostileRequests.NAME, new HostileTarget()).expose(NAME, target))) {
      ManagedChannel channel = served.channel();
      try (SessionWire session = SessionWire.open(channel)) {
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
          SessionResponse answer;
          try {
            answer = session.call(i, inputs.get(i));
          } catch (TimeoutException e) {
            wrong.add("input " + i + ": no answer; Invoke got " + Raw.invoke(channel,
                inputs.get(i), Duration.ofSeconds(5)));
            continue;
          }
          String different = answer.getId() != i ? "answered under id " + answer.getId()
              : sameAsInvoke(channel, inputs.get(i), SessionWire.outcome(answer, 0));
          if (different != null) {
            wrong.add("input " + i + ": " + different);
          }
        }
        assertEquals(List.of(), wrong);
        session.halfClose();
        assertEquals(Status.Code.OK, session.awaitEnd().getStatus().getCode());
        assertServed(served);
      } finally {
        Net.shutdown(channel);
      }
    }
  }
}
