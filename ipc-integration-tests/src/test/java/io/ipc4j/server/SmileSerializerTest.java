package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.ipc4j.client.IpcBadArgumentsException;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcException;
import io.ipc4j.client.IpcRemoteException;
import io.ipc4j.client.RemoteObject;
import io.ipc4j.core.ErrorReason;
import io.ipc4j.core.Limits;
import io.ipc4j.core.internal.Mappers;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.proto.v1.Payload;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A serializer registered through {@code Serializer.Factory} alone ({@link
 * SmileSerializerFactory}) carries every kind of call as the built-in ones do: servers and
 * clients choose it by name and never ask which format it is.
 */
class SmileSerializerTest {
  /** Every Smile document starts with this header: {@code :)\n}. */
  private static final ByteString SMILE_HEADER = ByteString.copyFrom(new byte[] {':', ')', '\n'});

  /** A value with properties. */
  public record Point(int x, int y) {}

  /** The calls the test makes, as a client's interface declares them. */
  public interface Shop {
    int add(int a, int b);

    String greet(String name, boolean loud);

    long total(Long a, long b);

    byte[] reverse(byte[] data);

    Point mirror(Point p);

    List<Point> line(int n);

    Map<String, Integer> lengths(List<String> words);

    String describe(int n);

    String describe(String s);

    String describe(double d);

    void fail(String why);
  }

  /** The exposed object. */
  public static final class ShopImpl implements Shop {
    @Override
    public int add(int a, int b) {
      return a + b;
    }

    @Override
    public String greet(String name, boolean loud) {
      return loud ? "HELLO " + name.toUpperCase() : "hello " + name;
    }

    @Override
    public long total(Long a, long b) {
      return a + b;
    }

    @Override
    public byte[] reverse(byte[] data) {
      byte[] r = new byte[data.length];
      for (int i = 0; i < data.length; i++) {
        r[i] = data[data.length - 1 - i];
      }
      return r;
    }

    @Override
    public Point mirror(Point p) {
      return new Point(p.y(), p.x());
    }

    @Override
    public List<Point> line(int n) {
      return java.util.stream.IntStream.range(0, n).mapToObj(i -> new Point(i, i)).toList();
    }

    @Override
    public Map<String, Integer> lengths(List<String> words) {
      Map<String, Integer> m = new java.util.TreeMap<>();
      words.forEach(w -> m.put(w, w.length()));
      return m;
    }

    @Override
    public String describe(int n) {
      return "int " + n;
    }

    @Override
    public String describe(String s) {
      return "String " + s;
    }

    @Override
    public String describe(double d) {
      return "double " + d;
    }

    @Override
    public void fail(String why) {
      throw new IllegalStateException(why);
    }
  }

  private static Transport.Served serve(Transport transport) throws IOException {
    return transport.start(IpcServer.builder().serializers("json", "cbor", "smile")
        .expose("shop", new ShopImpl()));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void callsOfEveryKindTravelInSmile(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport);
        IpcClient client = served.client().serializer("smile").build()) {
      Shop shop = client.getExposedObject("shop", Shop.class);
      assertEquals(5, shop.add(2, 3));
      assertEquals("HELLO ANN", shop.greet("ann", true));
      assertEquals(7_000_000_000L, shop.total(3_000_000_000L, 4_000_000_000L));
      assertArrayEquals(new byte[] {3, 2, 1, 0}, shop.reverse(new byte[] {0, 1, 2, 3}));
      assertArrayEquals(new byte[0], shop.reverse(new byte[0]));
      assertEquals(new Point(2, 1), shop.mirror(new Point(1, 2)));
      assertEquals(List.of(new Point(0, 0), new Point(1, 1), new Point(2, 2)), shop.line(3));
      assertEquals(Map.of("a", 1, "abc", 3), shop.lengths(List.of("abc", "a")));

      IpcRemoteException failed = assertThrows(IpcRemoteException.class,
          () -> shop.fail("out of stock"));
      assertEquals(served.call("shop", "fail")
          + " threw: java.lang.IllegalStateException: out of stock", failed.getMessage());
      assertEquals(ErrorReason.REMOTE_EXCEPTION, failed.getReason());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void overloadsAreChosenByFitWithoutParameterTypes(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport);
        IpcClient client = served.client().serializer("smile").build()) {
      RemoteObject shop = client.getExposedObject("shop");
      assertEquals("int 7", shop.call("describe", 7));
      assertEquals("String x", shop.call("describe", "x"));
      assertEquals("double 1.5", shop.call("describe", 1.5));

      IpcBadArgumentsException bad = assertThrows(IpcBadArgumentsException.class,
          () -> shop.call("add", "two", 3));
      assertEquals(ErrorReason.BAD_ARGUMENTS, bad.getReason());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theWireCarriesSmileBothWays(Transport transport) throws Exception {
    ObjectMapper smile = Mappers.of(SmileFactory.builder(), Limits.defaults());
    try (Transport.Served served = serve(transport)) {
      ManagedChannel channel = served.channel();
      try {
        ByteString args = ByteString.copyFrom(
            smile.writeValueAsBytes(List.of(Map.of("x", 1, "y", 2))));
        InvokeRequest request = InvokeRequest.newBuilder().setObject("shop").setMethod("mirror")
            .setPayload(Payload.newBuilder().setSerializer("smile").setData(args)).build();
        InvokeResponse response = InvokeServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS).invoke(request);
        assertEquals("smile", response.getPayload().getSerializer());
        ByteString data = response.getPayload().getData();
        assertEquals(SMILE_HEADER, data.substring(0, SMILE_HEADER.size()));
        assertEquals(new Point(2, 1), smile.readValue(data.toByteArray(), Point.class));
      } finally {
        Transport.shutdown(channel);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aServerThatDoesNotListSmileRefusesIt(Transport transport) throws Exception {
    try (Transport.Served served = transport.start(IpcServer.builder()
            .expose("shop", new ShopImpl()));
        IpcClient client = served.client().serializer("smile").build()) {
      IpcException e = assertThrows(IpcException.class,
          () -> client.getExposedObject("shop", Shop.class).add(1, 2));
      assertEquals(ErrorReason.SERIALIZER_NOT_ACCEPTED, e.getReason());
      assertEquals("serializer 'smile' is not accepted by this server; it accepts json, cbor ("
          + served.call("shop", "add") + ")", e.getMessage());
    }
  }

  @Test
  void buildersNameTheRegisteredSerializersAmongTheKnown() {
    IllegalArgumentException server = assertThrows(IllegalArgumentException.class,
        () -> IpcServer.builder().serializers("smile", "pickle"));
    assertEquals("unknown serializer 'pickle'; known: json, cbor, smile", server.getMessage());
    IllegalArgumentException client = assertThrows(IllegalArgumentException.class,
        () -> IpcClient.builder().serializer("pickle"));
    assertEquals("unknown serializer 'pickle'; known: json, cbor, smile", client.getMessage());
  }
}
