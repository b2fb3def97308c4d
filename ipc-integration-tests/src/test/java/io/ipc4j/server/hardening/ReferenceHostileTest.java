package io.ipc4j.server.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.ipc4j.client.IpcException;
import io.ipc4j.core.Oneway;
import io.ipc4j.core.Remote;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.proto.v1.Payload;
import io.ipc4j.proto.v1.Release;
import io.ipc4j.proto.v1.SessionRequest;
import io.ipc4j.proto.v1.SessionResponse;
import io.ipc4j.server.IpcServer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A peer that speaks the session protocol by hand cannot reach what it was not given: made-up
 * ids, another session's ids and methods outside the interface all fail as NOT_FOUND or
 * UNIMPLEMENTED, and a method that carries references cannot be called without a session.
 */
class ReferenceHostileTest {

  /** An object that stays on the server. */
  @Remote
  public interface Box extends AutoCloseable {
    String open();

    @Override
    void close();
  }

  /** A callback. */
  @Remote
  public interface Ear {
    String hear(String what);

    @Oneway
    void ping(int i);
  }

  /** What the peer calls. */
  public interface Shop {
    Box box();

    String whisper(Ear ear, String what);

    String flood(Ear ear, int times);
  }

  /** The server's side; its boxes count their closes. */
  public static final class ShopImpl implements Shop {
    final AtomicInteger closed = new AtomicInteger();

    @Override
    public Box box() {
      return new Box() {
        @Override
        public String open() {
          return "gift";
        }

        @Override
        public void close() {
          closed.incrementAndGet();
        }

        /** Public, but not in the interface it was given out as. */
        @SuppressWarnings("unused")
        public String secret() {
          return "secret";
        }
      };
    }

    @Override
    public String whisper(Ear ear, String what) {
      return ear.hear(what);
    }

    @Override
    public String flood(Ear ear, int times) {
      try {
        for (int i = 0; i < times; i++) {
          ear.ping(i);
        }
        return "all sent";
      } catch (IpcException e) {
        flooded.complete(e.getStatusCode() + ": " + e.getMessage());
        throw e;
      } catch (RuntimeException | Error e) {
        flooded.complete("unexpected " + e);
        throw e;
      }
    }

    final CompletableFuture<String> flooded = new CompletableFuture<>();
  }

  private final ShopImpl shop = new ShopImpl();
  private IpcServer server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    server = IpcServer.builder().host("127.0.0.1").port(0).expose("shop", shop, Shop.class)
        .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
    server.stop();
  }

  /** One session opened by hand: what the server sends arrives in {@link #received}. */
  private final class Peer implements StreamObserver<SessionResponse>, AutoCloseable {
    final BlockingQueue<SessionResponse> received = new LinkedBlockingQueue<>();
    final StreamObserver<SessionRequest> requests =
        InvokeServiceGrpc.newStub(channel).session(this);
    private long ids;

    SessionResponse call(String reference, String object, String method, String jsonArgs)
        throws InterruptedException {
      long id = ++ids;
      requests.onNext(SessionRequest.newBuilder().setCall(SessionRequest.Call.newBuilder()
          .setId(id).setReference(reference).setRequest(request(object, method, jsonArgs)))
          .build());
      SessionResponse answer = received.poll(10, TimeUnit.SECONDS);
      assertEquals(id, answer.getId(), answer::toString);
      return answer;
    }

    /** A reference to a new box, as the answer of shop.box carries it. */
    String box() throws InterruptedException {
      String json = answerText(call("", "shop", "box", "[]"));
      return json.substring(1, json.length() - 1); // a JSON string
    }

    @Override
    public void onNext(SessionResponse value) {
      received.add(value);
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}

    @Override
    public void close() {
      requests.onCompleted();
    }
  }

  private static InvokeRequest request(String object, String method, String jsonArgs) {
    return InvokeRequest.newBuilder().setObject(object).setMethod(method)
        .setPayload(Payload.newBuilder().setSerializer("json")
            .setData(ByteString.copyFromUtf8(jsonArgs))).build();
  }

  private static String answerText(SessionResponse answer) {
    assertTrue(answer.hasAnswer(), answer::toString);
    return answer.getAnswer().getPayload().getData().toString(StandardCharsets.UTF_8);
  }

  @Test
  void aReferenceIsValidOnItsOwnSessionOnly() throws Exception {
    try (Peer a = new Peer(); Peer b = new Peer()) {
      String box = a.box();
      assertEquals(22, box.length(), box);
      assertEquals("\"gift\"", answerText(a.call(box, "", "open", "[]")));

      SessionResponse elsewhere = b.call(box, "", "open", "[]");
      assertEquals(Status.Code.NOT_FOUND.value(), elsewhere.getError().getCode());
      assertEquals("no reference '" + box.substring(0, 6) + "…' on this session: it was"
          + " released, or never given to it", elsewhere.getError().getMessage());

      SessionResponse madeUp = a.call("AAAAAAAAAAAAAAAAAAAAAA", "", "open", "[]");
      assertEquals(Status.Code.NOT_FOUND.value(), madeUp.getError().getCode());
      assertEquals("no reference 'AAAAAA…' on this session: it was released, or never given"
          + " to it", madeUp.getError().getMessage());
    }
  }

  @Test
  void onlyTheInterfacesMethodsCanBeCalledAndCloseOnlyByRelease() throws Exception {
    try (Peer a = new Peer()) {
      String box = a.box();
      for (String method : new String[] {"secret", "close", "getClass", "hashCode"}) {
        SessionResponse answer = a.call(box, "", method, "[]");
        assertEquals(Status.Code.UNIMPLEMENTED.value(), answer.getError().getCode(), method);
        assertTrue(answer.getError().getMessage().startsWith("no method '" + method
            + "' on object 'Box'"), answer.getError().getMessage());
      }
      assertEquals(0, shop.closed.get());
      a.requests.onNext(SessionRequest.newBuilder().setRelease(Release.newBuilder()
          .addReferences(box).addReceived(1)).build());
      SessionResponse after = a.call(box, "", "open", "[]");
      assertEquals(Status.Code.NOT_FOUND.value(), after.getError().getCode());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (shop.closed.get() == 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(1, shop.closed.get());
    }
  }

  @Test
  void aReleaseThatCrossedTheReferenceGivenAgainDropsNothing() throws Exception {
    try (Peer a = new Peer()) {
      String box = a.box();
      // A release saying the peer received the box fewer times than the server gave it out: a
      // message carrying it crossed the release, so the box stays.
      a.requests.onNext(SessionRequest.newBuilder().setRelease(Release.newBuilder()
          .addReferences(box).addReceived(0)).build());
      assertEquals("\"gift\"", answerText(a.call(box, "", "open", "[]")));
      assertEquals(0, shop.closed.get());
    }
  }

  @Test
  void theServersCallsToTheClientNameTheReferenceItWasGiven() throws Exception {
    try (Peer a = new Peer()) {
      String ear = "EEEEEEEEEEEEEEEEEEEEEE";
      a.requests.onNext(SessionRequest.newBuilder().setCall(SessionRequest.Call.newBuilder()
          .setId(1).setRequest(request("shop", "whisper", "[\"" + ear + "\",\"psst\"]")))
          .build());
      SessionResponse callback = a.received.poll(10, TimeUnit.SECONDS);
      assertTrue(callback.hasCall(), callback::toString);
      assertEquals(ear, callback.getCall().getReference());
      assertEquals("hear", callback.getCall().getRequest().getMethod());
      assertEquals("[\"psst\"]", callback.getCall().getRequest().getPayload().getData()
          .toString(StandardCharsets.UTF_8));
      assertTrue(callback.getCall().hasTimeout());
      a.requests.onNext(SessionRequest.newBuilder().setAnswer(SessionResponse.newBuilder()
          .setId(callback.getCall().getId()).setAnswer(io.ipc4j.proto.v1.InvokeResponse
              .newBuilder().setPayload(Payload.newBuilder().setSerializer("json")
                  .setData(ByteString.copyFromUtf8("\"heard psst\""))))).build());
      SessionResponse answer = a.received.poll(10, TimeUnit.SECONDS);
      assertEquals(1, answer.getId());
      assertEquals("\"heard psst\"", answerText(answer));
    }
  }

  @Test
  void aPeerThatReadsNothingStopsTheServersCallsToItWithAnError() throws Exception {
    // A small window: the server's messages back up after a few hundred.
    ManagedChannel narrow = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
        .usePlaintext().flowControlWindow(16 * 1024).build();
    ClientCall<SessionRequest, SessionResponse> call =
        narrow.newCall(InvokeServiceGrpc.getSessionMethod(), CallOptions.DEFAULT);
    call.start(new ClientCall.Listener<>() {}, new Metadata()); // never asks for a message
    call.sendMessage(SessionRequest.newBuilder().setCall(SessionRequest.Call.newBuilder()
        .setId(1).setRequest(request("shop", "flood", "[\"EEEEEEEEEEEEEEEEEEEEEE\",1000000]")))
        .build());
    String flooded = shop.flooded.get(60, TimeUnit.SECONDS);
    assertTrue(flooded.startsWith("RESOURCE_EXHAUSTED: more than 10000 messages wait for client"),
        flooded);
    assertTrue(flooded.endsWith(" to read them (Ear.ping via a reference at client "
        + flooded.substring(flooded.indexOf("client ") + 7, flooded.indexOf(" to read"))
        + ")"), flooded);
    call.cancel("done", null);
    narrow.shutdownNow();
    narrow.awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void withoutASessionAMethodThatCarriesReferencesIsRefused() {
    StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(
        StatusRuntimeException.class, () -> InvokeServiceGrpc.newBlockingStub(channel)
            .invoke(request("shop", "box", "[]")));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertEquals("shop.box returns a @Remote " + Box.class.getName() + ", which travels by"
        + " reference, over a session only (ipc4j's Java client opens one)",
        e.getStatus().getDescription());
    assertEquals(0, shop.closed.get());
  }
}
