package io.ipc4j.core.internal;

import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import java.util.concurrent.CompletableFuture;

/**
 * The session a reference proxy calls through: to the other end's object that a reference id
 * names. The server calls a client's objects through it, and a client the server's.
 */
public interface PeerLink {

  /**
   * Sends {@code request} to the object {@code reference} names. The future completes with the
   * answer, or fails with the {@link io.grpc.StatusRuntimeException} the call ended with;
   * cancelling it cancels the call on the other end.
   *
   * @param timeoutNanos how long the other end lets the call run
   */
  CompletableFuture<InvokeResponse> call(String reference, InvokeRequest request,
      long timeoutNanos);

  /** Sends {@code request} to {@code reference} as a oneway call: no answer comes. */
  void callOneway(String reference, InvokeRequest request);

  /** Tells the other end that {@code reference} is called no more: it drops the object. */
  void release(String reference);

  /** The other end, as messages name it: {@code localhost:9099}, {@code client 127.0.0.1:5123}. */
  String peer();
}
