package io.ipc4j.server.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ListValue;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.server.IpcServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A server whose threads are all busy still tells a load balancer that it is alive. */
class SaturationTest {
  private static final int THREADS = 4;

  @ParameterizedTest
  @EnumSource(Net.class)
  void healthAnswersWhileEveryThreadIsBusy(Net net) throws Exception {
    StopUnderLoadTest.Blocker blocker = new StopUnderLoadTest.Blocker(THREADS);
    Net.Served served = net.start(IpcServer.builder().expose("blocker", blocker)
        .maxThreads(THREADS));
    ManagedChannel channel = served.channel();
    try {
      InvokeRequest hold = InvokeRequest.newBuilder().setObject("blocker").setMethod("hold")
          .setArgs(ListValue.getDefaultInstance()).build();
      for (int i = 0; i < THREADS; i++) {
        InvokeServiceGrpc.newStub(channel).invoke(hold, new StreamObserver<InvokeResponse>() {
          @Override
          public void onNext(InvokeResponse value) {}

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        });
      }
      assertTrue(blocker.busy.await(30, TimeUnit.SECONDS));
      assertEquals(ServingStatus.SERVING, HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(2, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService("").build()).getStatus());
    } finally {
      blocker.release.countDown();
      served.close();
      Net.shutdown(channel);
    }
  }
}
