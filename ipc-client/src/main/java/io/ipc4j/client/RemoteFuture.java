package io.ipc4j.client;

import io.grpc.ClientCall;
import java.util.concurrent.CompletableFuture;

/**
 * The future of an asynchronous call: cancelling it cancels the gRPC call, so the server sees the
 * cancellation (it interrupts the method, or cancels the future the method returned). Stages
 * derived from it ({@code thenApply}, …) are plain {@link CompletableFuture}s; cancelling one of
 * them does not reach the call.
 */
final class RemoteFuture<T> extends CompletableFuture<T> {
  private final ClientCall<?, ?> call;

  RemoteFuture(ClientCall<?, ?> call) {
    this.call = call;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      call.cancel("the caller cancelled the future", null);
    }
    return cancelled;
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }
}
