package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcUnauthenticatedException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A shared token guards Invoke, Describe and reflection. Health stays open by choice: load
 * balancers and orchestrators probe it without credentials, and it tells only whether a name is
 * served.
 */
class TokenTest {
  private static final String TOKEN = "s3cret-t0ken";

  /** The exposed object. */
  public static final class Echo {
    public String echo(String s) {
      return s;
    }
  }

  private static Transport.Served serve(Transport transport) throws Exception {
    return transport.start(IpcServer.builder().expose("echo", new Echo()).token(TOKEN));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aMissingOrWrongTokenIsUnauthenticated(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport);
        IpcClient none = served.client().build();
        IpcClient wrong = served.client().token("guess").build();
        IpcClient prefix = served.client().token(TOKEN.substring(0, 5)).build()) {
      IpcUnauthenticatedException missing = assertThrows(IpcUnauthenticatedException.class,
          () -> none.getExposedObject("echo").call("echo", "x"));
      assertEquals("this server needs a token: send 'authorization: Bearer <token>' ("
          + served.call("echo", "echo") + ")", missing.getMessage());
      assertEquals(Status.Code.UNAUTHENTICATED, missing.getStatusCode());
      for (IpcClient client : List.of(wrong, prefix)) {
        IpcUnauthenticatedException e = assertThrows(IpcUnauthenticatedException.class,
            () -> client.getExposedObject("echo").call("echo", "x"));
        assertEquals("wrong token (" + served.call("echo", "echo") + ")", e.getMessage());
      }
      assertThrows(IpcUnauthenticatedException.class,
          () -> none.getExposedObject("echo").methods());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theRightTokenWorks(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport);
        IpcClient client = served.client().token(TOKEN).build()) {
      assertEquals("x", client.getExposedObject("echo").call("echo", "x"));
      assertEquals("echo", client.getExposedObject("echo").methods().get(0).name());
    }
    try (Transport.Served served = serve(transport)) {
      ManagedChannel channel = served.channel();
      try {
        for (String header : List.of("Bearer " + TOKEN, "bearer " + TOKEN)) {
          Metadata headers = new Metadata();
          headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), header);
          assertEquals("raw", io.ipc4j.proto.v1.InvokeServiceGrpc.newBlockingStub(channel)
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .invoke(ErrorTableTest.request("echo", "echo", "raw")).getValue().getStringValue());
        }
      } finally {
        Transport.shutdown(channel);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void healthNeedsNoToken(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport);
        IpcClient client = served.client().name("echo").build()) {
      assertTrue(client.serverAvailable());
      ManagedChannel channel = served.channel();
      try {
        assertEquals(ServingStatus.SERVING, HealthGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .check(HealthCheckRequest.newBuilder().setService("echo").build()).getStatus());
      } finally {
        Transport.shutdown(channel);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void reflectionNeedsTheToken(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport)) {
      ManagedChannel channel = served.channel();
      try {
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> listServices(ServerReflectionGrpc.newStub(channel)));
        assertEquals(Status.Code.UNAUTHENTICATED,
            ((StatusRuntimeException) e.getCause()).getStatus().getCode());

        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
            "Bearer " + TOKEN);
        List<String> services = listServices(ServerReflectionGrpc.newStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers)));
        assertTrue(services.contains("ipc.v1.InvokeService"), services.toString());
        assertTrue(services.contains("grpc.health.v1.Health"), services.toString());
      } finally {
        Transport.shutdown(channel);
      }
    }
  }

  private static List<String> listServices(ServerReflectionGrpc.ServerReflectionStub stub)
      throws Exception {
    CompletableFuture<List<String>> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = stub
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .serverReflectionInfo(new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionResponse response) {
            answer.complete(response.getListServicesResponse().getServiceList().stream()
                .map(ServiceResponse::getName).toList());
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            answer.completeExceptionally(new AssertionError("no answer"));
          }
        });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();
    return answer.get(10, TimeUnit.SECONDS);
  }
}
