package io.ipc4j.server;

import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import io.ipc4j.core.CallObserver;
import io.ipc4j.proto.v1.InvokeResponse;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The responses of one observed {@code Invoke} or {@code InvokeStream} call: its observation ends once, with the answer's
 * size when it completes, with the status it failed with, or as CANCELLED when its client went
 * away ({@link #cancelled()}).
 */
final class ObservedResponses extends ServerCallStreamObserver<InvokeResponse> {
  private final ServerCallStreamObserver<InvokeResponse> responses;
  private final CallObserver.Observation observation;
  private final AtomicBoolean ended = new AtomicBoolean();
  private long responseBytes;
  /** What the method threw, when its failure is answered: see {@link #failedWith}. */
  private volatile Throwable thrown;

  ObservedResponses(ServerCallStreamObserver<InvokeResponse> responses,
      CallObserver.Observation observation) {
    this.responses = responses;
    this.observation = observation;
  }

  /** The method threw {@code thrown}: the failure about to be answered is its. */
  void failedWith(Throwable thrown) {
    this.thrown = thrown;
  }

  /** Makes the observation current while the method runs. */
  CallObserver.Scope enter() {
    return observation.enter();
  }

  /** The client cancelled the call or went away. */
  void cancelled() {
    if (ended.compareAndSet(false, true)) {
      observation.end(Status.Code.CANCELLED.name(), null, null, 0);
    }
  }

  @Override
  public void onNext(InvokeResponse value) {
    responseBytes += value.getSerializedSize();
    responses.onNext(value);
  }

  @Override
  public void onError(Throwable t) {
    if (ended.compareAndSet(false, true)) {
      com.google.rpc.Status status = StatusProto.fromThrowable(t);
      if (status == null) {
        status = com.google.rpc.Status.newBuilder()
            .setCode(Status.fromThrowable(t).getCode().value()).build();
      }
      ServerObservations.end(observation, status, thrown, 0);
    }
    responses.onError(t);
  }

  @Override
  public void onCompleted() {
    if (ended.compareAndSet(false, true)) {
      ServerObservations.end(observation, null, null, responseBytes);
    }
    responses.onCompleted();
  }

  @Override
  public boolean isCancelled() {
    return responses.isCancelled();
  }

  /** The handler runs after the observation has ended as CANCELLED. */
  @Override
  public void setOnCancelHandler(Runnable onCancelHandler) {
    responses.setOnCancelHandler(() -> {
      cancelled();
      onCancelHandler.run();
    });
  }

  @Override
  public void setCompression(String compression) {
    responses.setCompression(compression);
  }

  @Override
  public boolean isReady() {
    return responses.isReady();
  }

  @Override
  public void setOnReadyHandler(Runnable onReadyHandler) {
    responses.setOnReadyHandler(onReadyHandler);
  }

  @Override
  public void disableAutoInboundFlowControl() {
    responses.disableAutoInboundFlowControl();
  }

  @Override
  public void request(int count) {
    responses.request(count);
  }

  @Override
  public void setMessageCompression(boolean enable) {
    responses.setMessageCompression(enable);
  }
}
