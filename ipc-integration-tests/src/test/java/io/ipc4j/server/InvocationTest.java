package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.google.protobuf.ListValue;
import com.google.protobuf.Value;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcRemoteException;
import io.ipc4j.client.RemoteObject;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Values of every common kind travel exactly, through both serializers and both transports. */
class InvocationTest {

  /** A value class. */
  public record Point(int x, int y) {}

  /** An enum. */
  public enum Color { RED, GREEN, BLUE }

  /** A record of java.time values. */
  public record Event(String name, Instant at, Duration length, LocalDate day,
      OffsetDateTime local) {}

  /** What the client sees of {@link Kitchen}. */
  public interface Api {
    Point move(Point p, int dx);

    Color next(Color c);

    Optional<String> find(String key);

    Event postpone(Event e, Duration by);

    byte[] reverse(byte[] data);

    List<Point> points(Map<String, List<Integer>> coordinates);

    Map<String, Point> byName(List<Point> points);

    long twice(long value);

    BigDecimal triple(BigDecimal value);

    BigInteger square(BigInteger value);

    String show(String text, Point p);

    void touch(String note);
  }

  /** The exposed object. */
  public static final class Kitchen implements Api {
    final List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();
    final CountDownLatch futureMade = new CountDownLatch(1);
    volatile CompletableFuture<String> pending;

    @Override
    public Point move(Point p, int dx) {
      return new Point(p.x() + dx, p.y());
    }

    @Override
    public Color next(Color c) {
      return Color.values()[(c.ordinal() + 1) % Color.values().length];
    }

    @Override
    public Optional<String> find(String key) {
      return key.equals("here") ? Optional.of("found " + key) : Optional.empty();
    }

    @Override
    public Event postpone(Event e, Duration by) {
      return new Event(e.name(), e.at().plus(by), e.length(), e.day().plusDays(by.toDays()),
          e.local().plus(by));
    }

    @Override
    public byte[] reverse(byte[] data) {
      byte[] out = new byte[data.length];
      for (int i = 0; i < data.length; i++) {
        out[i] = data[data.length - 1 - i];
      }
      return out;
    }

    @Override
    public List<Point> points(Map<String, List<Integer>> coordinates) {
      List<Point> out = new ArrayList<>();
      coordinates.values().forEach(xy -> out.add(new Point(xy.get(0), xy.get(1))));
      return out;
    }

    @Override
    public Map<String, Point> byName(List<Point> points) {
      Map<String, Point> out = new LinkedHashMap<>();
      points.forEach(p -> out.put(p.x() + "," + p.y(), p));
      return out;
    }

    @Override
    public long twice(long value) {
      return 2 * value;
    }

    @Override
    public BigDecimal triple(BigDecimal value) {
      return value.multiply(BigDecimal.valueOf(3));
    }

    @Override
    public BigInteger square(BigInteger value) {
      return value.multiply(value);
    }

    @Override
    public String show(String text, Point p) {
      return text + "/" + p;
    }

    @Override
    public void touch(String note) {
      notes.add(note);
    }

    /** A future the test completes. */
    public CompletableFuture<String> pending(String text) {
      pending = new CompletableFuture<>();
      futureMade.countDown();
      return pending.thenApply(v -> v + " " + text);
    }

    /** A future that fails. */
    public CompletableFuture<String> failLater(String message) {
      return CompletableFuture.supplyAsync(() -> {
        throw new IllegalStateException(message);
      });
    }
  }

  /** Counts how many calls are inside it at once and whether two ever met. */
  public static final class Turnstile {
    final AtomicInteger active = new AtomicInteger();
    final AtomicInteger mostActive = new AtomicInteger();
    final CountDownLatch firstEntered = new CountDownLatch(1);
    final CountDownLatch arrivals = new CountDownLatch(2);
    final long waitMillis;

    Turnstile(long waitMillis) {
      this.waitMillis = waitMillis;
    }

    /** Waits a bounded time for a second caller; answers whether one arrived meanwhile. */
    public boolean pass() throws InterruptedException {
      mostActive.accumulateAndGet(active.incrementAndGet(), Math::max);
      try {
        arrivals.countDown();
        firstEntered.countDown();
        return arrivals.await(waitMillis, TimeUnit.MILLISECONDS);
      } finally {
        active.decrementAndGet();
      }
    }
  }

  /** A named thing, to tell several objects apart. */
  public static final class Named {
    private final String name;

    Named(String name) {
      this.name = name;
    }

    public String whoAreYou() {
      return name;
    }
  }

  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void tearDown() throws InterruptedException {
    threads.shutdownNow();
    assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
  }

  static Stream<Arguments> transportsAndSerializers() {
    return Stream.of(Transport.values())
        .flatMap(t -> Stream.of("json", "cbor").map(s -> Arguments.of(t, s)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("transportsAndSerializers")
  void typedValuesTravelExactly(Transport transport, String serializer) throws Exception {
    try (Transport.Served served =
            transport.start(IpcServer.builder().expose("kitchen", new Kitchen(), Api.class));
        IpcClient client = served.client().serializer(serializer).build()) {
      Api api = client.getExposedObject("kitchen", Api.class);
      assertEquals(new Point(4, 2), api.move(new Point(1, 2), 3));
      assertEquals(Color.RED, api.next(Color.BLUE));
      assertEquals(Optional.of("found here"), api.find("here"));
      assertEquals(Optional.empty(), api.find("there"));
      Event event = new Event("launch", Instant.parse("2024-02-29T23:59:59.123456789Z"),
          Duration.ofMinutes(90), LocalDate.of(2024, 2, 29),
          OffsetDateTime.of(2024, 2, 29, 12, 0, 0, 1, ZoneOffset.ofHours(5)));
      Event later = api.postpone(event, Duration.ofDays(1));
      assertEquals(new Event("launch", Instant.parse("2024-03-01T23:59:59.123456789Z"),
          Duration.ofMinutes(90), LocalDate.of(2024, 3, 1),
          OffsetDateTime.of(2024, 3, 1, 12, 0, 0, 1, ZoneOffset.ofHours(5))), later);
      byte[] bytes = new byte[256];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) i;
      }
      byte[] reversed = api.reverse(bytes);
      assertEquals(256, reversed.length);
      assertEquals((byte) 255, reversed[0]);
      assertEquals((byte) 0, reversed[255]);
      assertArrayEquals(new byte[0], api.reverse(new byte[0]));
      Map<String, List<Integer>> coordinates = new LinkedHashMap<>();
      coordinates.put("a", List.of(1, 2));
      coordinates.put("b", List.of(-3, 4));
      assertEquals(List.of(new Point(1, 2), new Point(-3, 4)), api.points(coordinates));
      Map<String, Point> byName = api.byName(List.of(new Point(1, 2), new Point(3, 4)));
      assertEquals(List.of("1,2", "3,4"), new ArrayList<>(byName.keySet()));
      assertEquals(new Point(3, 4), byName.get("3,4"));
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("transportsAndSerializers")
  void bigNumbersStayExact(Transport transport, String serializer) throws Exception {
    try (Transport.Served served =
            transport.start(IpcServer.builder().expose("kitchen", new Kitchen(), Api.class));
        IpcClient client = served.client().serializer(serializer).build()) {
      Api api = client.getExposedObject("kitchen", Api.class);
      long beyondDouble = (1L << 60) + 1;
      assertEquals((1L << 61) + 2, api.twice(beyondDouble));
      assertEquals(-(1L << 61) - 2, api.twice(-beyondDouble));
      assertEquals((1L << 61) + 2, client.getExposedObject("kitchen").call("twice", beyondDouble));
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("transportsAndSerializers")
  void bigDecimalsAndBigIntegersStayExact(Transport transport, String serializer)
      throws Exception {
    try (Transport.Served served =
            transport.start(IpcServer.builder().expose("kitchen", new Kitchen(), Api.class));
        IpcClient client = served.client().serializer(serializer).build()) {
      Api api = client.getExposedObject("kitchen", Api.class);
      assertEquals(new BigDecimal("3.300000000000000000000000000000003"),
          api.triple(new BigDecimal("1.100000000000000000000000000000001")));
      assertEquals(new BigDecimal("0.3"), api.triple(new BigDecimal("0.1")));
      assertEquals(new BigDecimal("3.30"), api.triple(new BigDecimal("1.10")));
      BigInteger big = BigInteger.TWO.pow(100).add(BigInteger.ONE);
      assertEquals(big.multiply(big), api.square(big));
      assertEquals(new BigDecimal("0.3"), client.getExposedObject("kitchen")
          .call(BigDecimal.class, "triple", new BigDecimal("0.1")));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void bigNumbersTravelAsStringsInTheListValueForm(Transport transport) throws Exception {
    try (Transport.Served served =
            transport.start(IpcServer.builder().expose("kitchen", new Kitchen(), Api.class))) {
      ManagedChannel channel = served.channel();
      try {
        InvokeServiceGrpc.InvokeServiceBlockingStub stub = InvokeServiceGrpc
            .newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        assertEquals(Value.newBuilder().setStringValue("18014398509481986").build(),
            stub.invoke(listRequest("twice", text("9007199254740993"))).getValue());
        assertEquals(Value.newBuilder().setNumberValue(84).build(),
            stub.invoke(listRequest("twice", number(42))).getValue());
        assertEquals(Value.newBuilder().setStringValue("0.3").build(),
            stub.invoke(listRequest("triple", text("0.1"))).getValue());
        InvokeResponse empty = stub.invoke(InvokeRequest.newBuilder().setObject("kitchen")
            .setMethod("find").setArgs(ListValue.newBuilder().addValues(text("there"))).build());
        assertEquals(Value.KindCase.NULL_VALUE, empty.getValue().getKindCase());
      } finally {
        Transport.shutdown(channel);
      }
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("transportsAndSerializers")
  void dynamicCallsReturnPlainValues(Transport transport, String serializer) throws Exception {
    Kitchen impl = new Kitchen();
    try (Transport.Served served =
            transport.start(IpcServer.builder().expose("kitchen", impl, Api.class));
        IpcClient client = served.client().serializer(serializer).build()) {
      RemoteObject kitchen = client.getExposedObject("kitchen");
      assertEquals(84L, kitchen.call("twice", 42));
      assertEquals(84L, (long) kitchen.call(long.class, "twice", 42));
      assertEquals(84, (int) kitchen.call(int.class, "twice", 42));
      assertNull(kitchen.call("touch", "dynamic"));
      assertNull(kitchen.call(void.class, "touch", "void"));
      client.getExposedObject("kitchen", Api.class).touch("typed");
      assertEquals(List.of("dynamic", "void", "typed"), impl.notes);
      assertEquals(Map.of("x", 4L, "y", 2L), kitchen.call("move", Map.of("x", 1, "y", 2), 3));
      assertEquals("GREEN", kitchen.call("next", "RED"));
      assertEquals(Color.GREEN, kitchen.call(Color.class, "next", Color.RED));
      assertEquals("found here", kitchen.call("find", "here"));
      assertNull(kitchen.call("find", "there"));
      List<Point> points = kitchen.call(new TypeReference<List<Point>>() {}.getType(), "points",
          Map.of("p", List.of(5, 6)));
      assertEquals(List.of(new Point(5, 6)), points);
      assertEquals("null/null", kitchen.call("show", null, null));
      assertEquals("x/null", kitchen.call("show", "x", null));
      assertEquals("null/Point[x=1, y=2]", kitchen.call("show", null, new Point(1, 2)));
      assertEquals("null/null", client.getExposedObject("kitchen", Api.class).show(null, null));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void defaultAndNamedObjects(Transport transport) throws Exception {
    try (Transport.Served served = transport.start(IpcServer.builder()
            .expose(new Named("default"))
            .expose("a", new Named("a"))
            .expose("b", new Named("b")));
        IpcClient client = served.client().build()) {
      assertEquals("kodi-IPC", served.server().name());
      assertEquals("default", client.getExposedObject().call("whoAreYou"));
      assertEquals("default", client.getExposedObject("").call("whoAreYou"));
      assertEquals("a", client.getExposedObject("a").call("whoAreYou"));
      assertEquals("b", client.getExposedObject("b").call("whoAreYou"));
      ManagedChannel channel = served.channel();
      try {
        assertEquals(Value.newBuilder().setStringValue("default").build(),
            InvokeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .invoke(InvokeRequest.newBuilder().setMethod("whoAreYou").build()).getValue());
      } finally {
        Transport.shutdown(channel);
      }
    }
    try (Transport.Served served = transport.start(IpcServer.builder()
            .name("home").expose(new Named("home")).expose("other", new Named("other")));
        IpcClient client = served.client().name("home").build()) {
      assertEquals("home", client.getExposedObject().call("whoAreYou"));
      assertEquals("home", client.getExposedObject("").call("whoAreYou"));
      assertEquals("other", client.getExposedObject("other").call("whoAreYou"));
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("transportsAndSerializers")
  void aFutureIsAnsweredWhenItCompletes(Transport transport, String serializer)
      throws Exception {
    Kitchen kitchen = new Kitchen();
    try (Transport.Served served = transport.start(IpcServer.builder().expose("k", kitchen));
        IpcClient client = served.client().serializer(serializer).build()) {
      RemoteObject remote = client.getExposedObject("k");
      Future<String> call = threads.submit(() -> remote.call(String.class, "pending", "later"));
      assertTrue(kitchen.futureMade.await(10, TimeUnit.SECONDS));
      assertFalse(call.isDone());
      kitchen.pending.complete("done");
      assertEquals("done later", call.get(10, TimeUnit.SECONDS));

      IpcRemoteException e = assertThrows(IpcRemoteException.class,
          () -> remote.call("failLater", "no luck"));
      assertEquals("java.lang.IllegalStateException", e.getRemoteClassName());
      assertEquals("no luck", e.getRemoteMessage());
      assertEquals(served.call("k", "failLater")
          + " threw: java.lang.IllegalStateException: no luck", e.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void serializedRunsOneCallAtATimePerObject(Transport transport) throws Exception {
    Turnstile turnstile = new Turnstile(1000);
    CountDownLatch received = new CountDownLatch(2);
    try (Transport.Served served = transport.start(IpcServer.builder()
            .expose("t", turnstile).concurrency(Concurrency.SERIALIZED).intercept(count(received)));
        IpcClient client = served.client().build()) {
      Future<Object> first = threads.submit(() -> client.getExposedObject("t").call("pass"));
      assertTrue(turnstile.firstEntered.await(10, TimeUnit.SECONDS));
      Future<Object> second = threads.submit(() -> client.getExposedObject("t").call("pass"));
      assertTrue(received.await(10, TimeUnit.SECONDS));
      assertFalse(first.isDone(), "the second call reached the server too late to prove anything");
      List<Object> results = List.of(first.get(10, TimeUnit.SECONDS),
          second.get(10, TimeUnit.SECONDS));
      assertEquals(List.of(false, true), results);
      assertEquals(1, turnstile.mostActive.get());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void concurrentOverlapsCalls(Transport transport) throws Exception {
    Turnstile turnstile = new Turnstile(10_000);
    try (Transport.Served served = transport.start(IpcServer.builder().expose("t", turnstile));
        IpcClient client = served.client().build()) {
      Future<Object> first = threads.submit(() -> client.getExposedObject("t").call("pass"));
      Future<Object> second = threads.submit(() -> client.getExposedObject("t").call("pass"));
      assertEquals(List.of(true, true), List.of(first.get(20, TimeUnit.SECONDS),
          second.get(20, TimeUnit.SECONDS)));
      assertEquals(2, turnstile.mostActive.get());
    }
  }

  private static ServerInterceptor count(CountDownLatch received) {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
          // One message per call, whether it came with Invoke or on a session.
          @Override
          public void onMessage(Q message) {
            super.onMessage(message);
            received.countDown();
          }
        };
      }
    };
  }

  private static InvokeRequest listRequest(String method, Value... args) {
    return InvokeRequest.newBuilder().setObject("kitchen").setMethod(method)
        .setArgs(ListValue.newBuilder().addAllValues(Arrays.asList(args))).build();
  }

  private static Value text(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  private static Value number(double d) {
    return Value.newBuilder().setNumberValue(d).build();
  }
}
