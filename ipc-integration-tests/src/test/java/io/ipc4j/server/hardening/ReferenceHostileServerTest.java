package io.ipc4j.server.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.ipc4j.client.IpcClient;
import io.ipc4j.core.Remote;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.proto.v1.Payload;
import io.ipc4j.proto.v1.SessionRequest;
import io.ipc4j.proto.v1.SessionResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server that speaks the session protocol by hand can call only what the client passed it, only
 * through the interface it was passed as: made-up ids and other methods get NOT_FOUND and
 * UNIMPLEMENTED answers from the client, never its objects.
 */
class ReferenceHostileServerTest {

  /** A callback. */
  @Remote
  public interface Ear {
    String hear(String what);
  }

  /** What the client calls. */
  public interface Door {
    String knock(Ear ear);
  }

  private final String name = "hostile-" + UUID.randomUUID();
  /** What the client sent on its session. */
  private final BlockingQueue<SessionRequest> fromClient = new LinkedBlockingQueue<>();
  private final CompletableFuture<StreamObserver<SessionResponse>> toClient =
      new CompletableFuture<>();
  private Server server;
  private IpcClient client;

  @AfterEach
  void stop() throws InterruptedException {
    if (client != null) {
      client.close();
    }
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  private static InvokeRequest request(String method, String jsonArgs) {
    return InvokeRequest.newBuilder().setMethod(method).setPayload(Payload.newBuilder()
        .setSerializer("json").setData(ByteString.copyFromUtf8(jsonArgs))).build();
  }

  private SessionResponse.Builder call(long id, String reference, String method, String args) {
    return SessionResponse.newBuilder().setCall(SessionRequest.Call.newBuilder().setId(id)
        .setReference(reference).setRequest(request(method, args)));
  }

  private SessionResponse answerFromClient() throws InterruptedException {
    SessionRequest message = fromClient.poll(10, TimeUnit.SECONDS);
    assertTrue(message != null && message.hasAnswer(), () -> "got " + message);
    return message.getAnswer();
  }

  @Test
  void theClientAnswersOnlyForTheObjectItPassedThroughItsInterface() throws Exception {
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(new InvokeServiceGrpc.InvokeServiceImplBase() {
          @Override
          public StreamObserver<SessionRequest> session(
              StreamObserver<SessionResponse> responses) {
            toClient.complete(responses);
            return new StreamObserver<>() {
              @Override
              public void onNext(SessionRequest value) {
                fromClient.add(value);
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {
                responses.onCompleted();
              }
            };
          }
        }).build().start();
    client = IpcClient.builder().inProcess(name).build();
    Door door = client.getExposedObject("door", Door.class);
    CompletableFuture<String> knocked =
        CompletableFuture.supplyAsync(() -> door.knock(what -> "heard " + what));

    SessionRequest knock = fromClient.poll(10, TimeUnit.SECONDS);
    assertEquals("knock", knock.getCall().getRequest().getMethod());
    String args = knock.getCall().getRequest().getPayload().getData()
        .toString(StandardCharsets.UTF_8);
    String ear = args.substring(2, args.length() - 2); // ["<id>"]
    assertEquals(22, ear.length(), args);
    StreamObserver<SessionResponse> out = toClient.get(10, TimeUnit.SECONDS);

    out.onNext(call(1, "AAAAAAAAAAAAAAAAAAAAAA", "hear", "[\"x\"]").build());
    SessionResponse madeUp = answerFromClient();
    assertEquals(1, madeUp.getId());
    assertEquals(io.grpc.Status.Code.NOT_FOUND.value(), madeUp.getError().getCode());
    assertEquals("no reference 'AAAAAA…' on this session: it was released, or never passed on"
        + " it", madeUp.getError().getMessage());

    for (String method : new String[] {"getClass", "toString", "wait"}) {
      out.onNext(call(2, ear, method, "[]").build());
      SessionResponse other = answerFromClient();
      assertEquals(io.grpc.Status.Code.UNIMPLEMENTED.value(), other.getError().getCode());
      assertEquals("no method '" + method + "' on " + Ear.class.getName(),
          other.getError().getMessage());
    }

    out.onNext(call(3, ear, "hear", "[\"y\"]").build());
    SessionResponse heard = answerFromClient();
    assertEquals(3, heard.getId());
    assertEquals("\"heard y\"", heard.getAnswer().getPayload().getData()
        .toString(StandardCharsets.UTF_8));

    out.onNext(SessionResponse.newBuilder().setId(knock.getCall().getId())
        .setAnswer(InvokeResponse.newBuilder().setPayload(Payload.newBuilder()
            .setSerializer("json").setData(ByteString.copyFromUtf8("\"opened\"")))).build());
    assertEquals("opened", knocked.get(10, TimeUnit.SECONDS));
  }
}
