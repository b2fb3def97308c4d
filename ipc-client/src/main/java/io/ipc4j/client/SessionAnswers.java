package io.ipc4j.client;

import io.grpc.Status;
import io.ipc4j.core.internal.IdleTimers;
import io.ipc4j.proto.v1.InvokeResponse;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Waiting for the answer of a call sent as a session message, blocking or not: within its
 * deadline, and cancelling the call on the other end (which frees its place there and here) when
 * the deadline passes or the caller gives up. Failures become the caller's {@link IpcException}.
 */
final class SessionAnswers {
  /** Ends session calls past their deadline; its thread exits when idle. */
  static final ScheduledThreadPoolExecutor TIMER = IdleTimers.create("ipc4j-session-deadline");

  private SessionAnswers() {}

  /**
   * Waits at most {@code nanos} for {@code answer}, the answer of {@code call}.
   *
   * @param failure what a failed answer becomes
   * @throws IpcException the failure; DEADLINE_EXCEEDED or CANCELLED (interrupted), the call
   *     then cancelled
   */
  static InvokeResponse await(CompletableFuture<InvokeResponse> answer, long nanos, String call,
      Function<Throwable, IpcException> failure) {
    try {
      return answer.get(nanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw failure.apply(e.getCause());
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw deadlineExceeded(nanos, call);
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      throw new IpcException("interrupted while waiting for " + call, Status.Code.CANCELLED,
          null, e);
    }
  }

  /**
   * The future of {@code answer} read by {@code read}, on {@code ipc4j-answer} threads (never the
   * transport's), within {@code nanos}. Failures become {@code failure}'s exceptions, and every
   * exception then goes through {@code translate} (a proxy rebuilds declared exceptions).
   * Cancelling the future, or its deadline passing, cancels the call.
   */
  static CompletableFuture<Object> whenAnswered(CompletableFuture<InvokeResponse> answer,
      long nanos, String call, Function<InvokeResponse, Object> read,
      Function<Throwable, IpcException> failure, Function<IpcException, Throwable> translate) {
    RemoteFuture<Object> future = new RemoteFuture<>(() -> answer.cancel(true));
    ScheduledFuture<?> timer = TIMER.schedule(() -> {
      if (future.completeExceptionally(translate.apply(deadlineExceeded(nanos, call)))) {
        answer.cancel(true);
      }
    }, nanos, TimeUnit.NANOSECONDS);
    answer.whenCompleteAsync((response, thrown) -> {
      timer.cancel(false);
      if (thrown instanceof CancellationException || future.isDone()) {
        return;
      }
      try {
        if (thrown != null) {
          throw failure.apply(thrown instanceof CompletionException && thrown.getCause() != null
              ? thrown.getCause() : thrown);
        }
        future.complete(read.apply(response));
      } catch (IpcException e) {
        future.completeExceptionally(translate.apply(e));
      }
    }, AnswerThreads.EXECUTOR);
    return future;
  }

  /** What a call past its deadline of {@code nanos} fails with. */
  static IpcDeadlineExceededException deadlineExceeded(long nanos, String call) {
    return new IpcDeadlineExceededException(String.format(Locale.ROOT,
        "deadline exceeded after %.3fs (%s)", nanos / 1e9, call), Status.Code.DEADLINE_EXCEEDED,
        null, null);
  }
}
