package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ListValue;
import com.google.protobuf.Value;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcDeadlineExceededException;
import io.ipc4j.client.IpcException;
import io.ipc4j.client.IpcNoSuchMethodException;
import io.ipc4j.client.IpcRemoteException;
import io.ipc4j.client.RemoteObject;
import io.ipc4j.core.ErrorReason;
import io.ipc4j.core.Limits;
import io.ipc4j.core.internal.Serializers;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Streaming: methods returning Stream, Iterator or Iterable send their items through
 * InvokeStream, with flow control; closing early, a vanished client and the stream lifetime close
 * the source; errors arrive as from Invoke.
 */
class StreamingTest {
  private static final long WAIT_SECONDS = 10;
  /** Items of {@link NumbersImpl#big} a server may produce beyond those read. */
  private static final int AHEAD = 40;

  /** A value class. */
  public record Item(String name, int count) {}

  /** The interface both sides use. */
  public interface Numbers {
    Stream<Integer> range(int from, int to);

    Iterator<String> words(String text);

    Iterable<Item> items(int n);

    List<String> list();

    Stream<String> big(int size);

    Stream<Integer> endless();

    Iterator<Integer> counting();

    Stream<Integer> failing(int at);

    Iterator<Integer> slow();

    int add(int a, int b);
  }

  /** An iterator that counts up forever and knows when it is closed. */
  public static final class Counter implements Iterator<Integer>, AutoCloseable {
    final CountDownLatch closed = new CountDownLatch(1);
    private int next;

    @Override
    public boolean hasNext() {
      return true;
    }

    @Override
    public Integer next() {
      return next++;
    }

    @Override
    public void close() {
      closed.countDown();
    }
  }

  /** An iterator whose next() blocks until interrupted. */
  public static final class Slow implements Iterator<Integer>, AutoCloseable {
    final CountDownLatch waiting = new CountDownLatch(1);
    final CountDownLatch interrupted = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);
    private int next;

    @Override
    public boolean hasNext() {
      return true;
    }

    @Override
    public Integer next() {
      if (next == 0) {
        return next++;
      }
      waiting.countDown();
      try {
        new CountDownLatch(1).await();
        throw new NoSuchElementException("never");
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw new IllegalStateException("interrupted", e);
      }
    }

    @Override
    public void close() {
      closed.countDown();
    }
  }

  /** The server side. */
  public static final class NumbersImpl implements Numbers {
    final AtomicInteger produced = new AtomicInteger();
    volatile int limit = Integer.MAX_VALUE;
    final CountDownLatch overLimit = new CountDownLatch(1);
    final CountDownLatch streamClosed = new CountDownLatch(1);
    final Counter counter = new Counter();
    final Slow slow = new Slow();

    @Override
    public Stream<Integer> range(int from, int to) {
      return IntStream.range(from, to).boxed();
    }

    @Override
    public Iterator<String> words(String text) {
      return List.of(text.split(" ")).iterator();
    }

    @Override
    public Iterable<Item> items(int n) {
      return () -> IntStream.range(0, n).mapToObj(i -> new Item("item" + i, i)).iterator();
    }

    @Override
    public List<String> list() {
      return List.of("a", "b");
    }

    @Override
    public Stream<String> big(int size) {
      String item = "x".repeat(size);
      return Stream.generate(() -> {
        if (produced.incrementAndGet() > limit) {
          overLimit.countDown();
        }
        return item;
      }).limit(100_000).onClose(streamClosed::countDown);
    }

    @Override
    public Stream<Integer> endless() {
      return Stream.iterate(0, i -> i + 1).onClose(streamClosed::countDown);
    }

    @Override
    public Iterator<Integer> counting() {
      return counter;
    }

    @Override
    public Stream<Integer> failing(int at) {
      return IntStream.range(0, 10).boxed().map(i -> check(i, at))
          .onClose(streamClosed::countDown);
    }

    private static int check(int i, int at) {
      if (i == at) {
        throw new IllegalStateException("item " + i + " is bad");
      }
      return i;
    }

    @Override
    public Iterator<Integer> slow() {
      return slow;
    }

    @Override
    public int add(int a, int b) {
      return a + b;
    }
  }

  private static Transport.Served serve(Transport transport, NumbersImpl impl)
      throws IOException {
    return transport.start(IpcServer.builder().expose("numbers", impl, Numbers.class));
  }

  private static void await(CountDownLatch latch, String what) throws InterruptedException {
    assertTrue(latch.await(WAIT_SECONDS, TimeUnit.SECONDS), what);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void proxiesStreamTheItems(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport, new NumbersImpl());
        IpcClient json = served.client().build();
        IpcClient cbor = served.client().serializer("cbor").build()) {
      for (IpcClient client : new IpcClient[] {json, cbor}) {
        Numbers numbers = client.getExposedObject("numbers", Numbers.class);
        try (Stream<Integer> range = numbers.range(3, 7)) {
          assertEquals(List.of(3, 4, 5, 6), range.collect(Collectors.toList()));
        }
        List<String> words = new ArrayList<>();
        numbers.words("to be or not").forEachRemaining(words::add);
        assertEquals(List.of("to", "be", "or", "not"), words);
        Iterable<Item> items = numbers.items(2);
        for (int pass = 0; pass < 2; pass++) { // each iterator() calls the method anew
          List<Item> got = new ArrayList<>();
          items.forEach(got::add);
          assertEquals(List.of(new Item("item0", 0), new Item("item1", 1)), got);
        }
        try (Stream<Integer> none = numbers.range(0, 0)) {
          assertEquals(0, none.count());
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void remoteObjectsStreamTheItems(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport, new NumbersImpl());
        IpcClient client = served.client().build()) {
      RemoteObject numbers = client.getExposedObject("numbers");
      try (Stream<Integer> range = numbers.stream(Integer.class, "range", 1, 4)) {
        assertEquals(List.of(1, 2, 3), range.toList());
      }
      try (Stream<Object> items = numbers.stream("items", 1)) {
        assertEquals(List.of(Map.of("name", "item0", "count", 0L)), items.toList());
      }
      try (Stream<String> list = numbers.stream(String.class, "list")) {
        assertEquals(List.of("a", "b"), list.toList()); // a collection streams too
      }
      // Invoke on a streaming method answers with all its items.
      assertEquals(List.of(1L, 2L, 3L), numbers.call("range", 1, 4));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void jsonRequestsGetJsonItems(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport, new NumbersImpl())) {
      ManagedChannel channel = served.channel();
      try {
        Iterator<InvokeResponse> responses = InvokeServiceGrpc.newBlockingStub(channel)
            .invokeStream(InvokeRequest.newBuilder().setObject("numbers").setMethod("words")
                .setArgs(ListValue.newBuilder().addValues(Value.newBuilder()
                    .setStringValue("a b")))
                .build());
        List<Value> values = new ArrayList<>();
        responses.forEachRemaining(r -> values.add(r.getValue()));
        assertEquals(List.of(Value.newBuilder().setStringValue("a").build(),
            Value.newBuilder().setStringValue("b").build()), values);
      } finally {
        Transport.shutdown(channel);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aSlowReaderHoldsTheServerBack(Transport transport) throws Exception {
    NumbersImpl impl = new NumbersImpl();
    try (Transport.Served served = serve(transport, impl);
        IpcClient client = served.client().build();
        Stream<String> items = client.getExposedObject("numbers", Numbers.class)
            .big(64 * 1024)) {
      Iterator<String> it = items.iterator();
      for (int read = 1; read <= 100; read++) {
        assertEquals(64 * 1024, it.next().length());
        assertTrue(impl.produced.get() <= read + AHEAD,
            "read " + read + ", produced " + impl.produced.get());
      }
      // The reader stops. A server without flow control would run far ahead; this one stops.
      impl.limit = 100 + AHEAD;
      assertFalse(impl.overLimit.await(500, TimeUnit.MILLISECONDS),
          "produced " + impl.produced.get() + " items while 100 were read");
    }
    await(impl.streamClosed, "closing the client's stream closed the server's");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void closingEarlyCancelsTheCallAndClosesTheSource(Transport transport) throws Exception {
    NumbersImpl impl = new NumbersImpl();
    try (Transport.Served served = serve(transport, impl);
        IpcClient client = served.client().build()) {
      Numbers numbers = client.getExposedObject("numbers", Numbers.class);
      try (Stream<Integer> endless = numbers.endless()) {
        assertEquals(List.of(0, 1, 2), endless.limit(3).toList());
      }
      await(impl.streamClosed, "the server closed the Stream");

      Iterator<Integer> counting = numbers.counting();
      assertEquals(0, counting.next());
      assertEquals(1, counting.next());
      ((AutoCloseable) counting).close();
      assertFalse(counting.hasNext());
      await(impl.counter.closed, "the server closed the Iterator");
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aVanishedClientsStreamIsCleanedUp(Transport transport) throws Exception {
    NumbersImpl impl = new NumbersImpl();
    try (Transport.Served served = serve(transport, impl)) {
      ManagedChannel channel = served.channel();
      Iterator<InvokeResponse> responses = InvokeServiceGrpc.newBlockingStub(channel)
          .invokeStream(InvokeRequest.newBuilder().setObject("numbers").setMethod("endless")
              .build());
      assertEquals(0, responses.next().getValue().getNumberValue());
      channel.shutdownNow(); // the client goes away without a word
      await(impl.streamClosed, "the server closed the abandoned stream");
      assertTrue(channel.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anExceptionWhileIteratingArrivesAsFromInvoke(Transport transport) throws Exception {
    NumbersImpl impl = new NumbersImpl();
    try (Transport.Served served = serve(transport, impl);
        IpcClient client = served.client().build()) {
      List<Integer> got = new ArrayList<>();
      IpcRemoteException e = assertThrows(IpcRemoteException.class, () -> {
        try (Stream<Integer> failing = client.getExposedObject("numbers", Numbers.class)
            .failing(3)) {
          failing.forEach(got::add);
        }
      });
      assertEquals(List.of(0, 1, 2), got);
      assertEquals(served.call("numbers", "failing")
          + " threw: java.lang.IllegalStateException: item 3 is bad", e.getMessage());
      assertEquals("java.lang.IllegalStateException", e.getRemoteClassName());
      assertEquals(NumbersImpl.class.getName() + ".check",
          e.getRemoteStackTrace()[0].getClassName() + "."
              + e.getRemoteStackTrace()[0].getMethodName());
      for (StackTraceElement f : e.getRemoteStackTrace()) {
        assertFalse(f.getClassName().startsWith("io.ipc4j.server.StreamCall")
            || f.getClassName().startsWith("io.ipc4j.server.InvokeService")
            || f.getClassName().startsWith("io.grpc."), "a frame below the user's code: " + f);
      }
      assertTrue(e.getRemoteTraceback().matches("(?s).*\n\t\\.\\.\\. [1-9]\\d* more\n"),
          e.getRemoteTraceback());
      await(impl.streamClosed, "the server closed the failed stream");

      // Invoke on the same method: the same error.
      IpcRemoteException invoked = assertThrows(IpcRemoteException.class,
          () -> client.getExposedObject("numbers").call("failing", 3));
      assertEquals(served.call("numbers", "failing")
          + " threw: java.lang.IllegalStateException: item 3 is bad", invoked.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void whatCannotBeStreamedIsRefusedClearly(Transport transport) throws Exception {
    NumbersImpl impl = new NumbersImpl();
    try (Transport.Served served = serve(transport, impl);
        IpcClient client = served.client().build()) {
      RemoteObject numbers = client.getExposedObject("numbers");
      IpcNoSuchMethodException e = assertThrows(IpcNoSuchMethodException.class,
          () -> numbers.stream("add", 1, 2).toList());
      assertEquals("numbers.add(int a, int b) returns int, which is not streamed; call it with"
          + " Invoke (" + served.call("numbers", "add") + ")", e.getMessage());

      // Invoke on an endless stream: refused at the message size limit, and the source closed.
      IpcException tooMany = assertThrows(IpcException.class, () -> numbers.call("endless"));
      assertEquals(ErrorReason.RESULT_NOT_SERIALIZABLE, tooMany.getReason());
      assertEquals("the items of numbers.endless exceed the message size limit of "
          + Limits.defaults().maxMessageSize() + " bytes; read them with InvokeStream ("
          + served.call("numbers", "endless") + ")", tooMany.getMessage());
      await(impl.streamClosed, "the server closed the endless stream");
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aStreamPastItsLifetimeEnds(Transport transport) throws Exception {
    NumbersImpl impl = new NumbersImpl();
    try (Transport.Served served = transport.start(IpcServer.builder()
            .expose("numbers", impl, Numbers.class).streamLifetime(Duration.ofMillis(300)));
        IpcClient client = served.client().build()) {
      Transport.Address address = served.address();
      // A reader that stops: the server ends the stream while it waits for the reader.
      Iterator<Integer> counting = client.getExposedObject("numbers", Numbers.class).counting();
      assertEquals(0, counting.next());
      await(impl.counter.closed, "the server closed the stream at its lifetime");
      IpcDeadlineExceededException e = assertThrows(IpcDeadlineExceededException.class, () -> {
        for (int i = 0; i < 100_000 && counting.hasNext(); i++) {
          counting.next();
        }
      });
      String call = "numbers.counting at " + address.target();
      assertEquals("stream numbers.counting exceeded the server's stream lifetime of 300 ms ("
          + call + ")", e.getMessage());
      assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatusCode());

      // A source blocked in next(): interrupted at the lifetime, then closed.
      Iterator<Integer> slow = client.getExposedObject("numbers", Numbers.class).slow();
      assertEquals(0, slow.next());
      await(impl.slow.interrupted, "the blocked source was interrupted");
      await(impl.slow.closed, "the blocked source was closed");
      IpcDeadlineExceededException slowFailure = assertThrows(
          IpcDeadlineExceededException.class, slow::next);
      assertEquals("stream numbers.slow exceeded the server's stream lifetime of 300 ms"
          + " (numbers.slow at " + address.target() + ")", slowFailure.getMessage());
    }
  }
}
