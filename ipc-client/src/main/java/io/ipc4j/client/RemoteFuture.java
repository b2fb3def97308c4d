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
  private final Runnable onCancel;

  RemoteFuture(ClientCall<?, ?> call) {
    this(() -> call.cancel("the caller cancelled the future", null));
  }

  /** A future whose cancellation runs {@code onCancel}, which tells the server. */
  RemoteFuture(Runnable onCancel) {
    this.onCancel = onCancel;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      onCancel.run();
    }
    return cancelled;
  }

  /** Tells the server the call is cancelled, for a future already completed otherwise. */
  void cancelOnServer() {
    onCancel.run();
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }
}
