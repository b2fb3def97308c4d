package io.ipc4j.server;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.ipc4j.core.ErrorReason;
import java.lang.reflect.InvocationTargetException;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The second stage of a call: where and how the exposed method runs. A call is handed to the
 * bounded call pool (or runs inline, for a small {@link io.ipc4j.core.NonBlocking} call); the
 * method runs under its object's lock when the object is SERIALIZED, and the call's cancellation
 * (the client cancelled, went away, or its deadline passed) interrupts the thread that runs it.
 */
final class CallRunner {
  /** The bounded pool that runs the exposed methods. */
  private final Executor calls;

  /**
   * A runner whose methods run on {@code calls}. grpc may call it on a transport thread, which
   * must never block: each call is handed to {@code calls} before anything of the user's runs.
   */
  CallRunner(Executor calls) {
    this.calls = Objects.requireNonNull(calls, "calls == null");
  }

  /**
   * Runs {@code task} on the call pool with the call's context; a pool that is shut down (the
   * server is stopping) answers UNAVAILABLE.
   */
  void hand(ServerCallStreamObserver<?> responses, Runnable task) {
    try {
      calls.execute(Context.current().wrap(task));
    } catch (RejectedExecutionException e) {
      if (!responses.isCancelled()) {
        responses.onError(Status.UNAVAILABLE.withDescription("the server is stopping")
            .asRuntimeException());
      }
    }
  }

  /**
   * Runs {@code task}, which may run the user's code, on the call pool rather than on the grpc
   * thread that asks for it; on this thread once the pool is shut down.
   */
  void offload(Runnable task) {
    try {
      calls.execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  /**
   * {@link #offload}s what must run after a call ends (closing a stream's source, cancelling a
   * future), and runs even when the server stops before a thread took it: see {@link Cleanup}.
   */
  void cleanUp(Runnable task) {
    offload(new Cleanup(task));
  }

  /** A task that {@code IpcServer.stop()} runs itself if the call pool never did. */
  record Cleanup(Runnable task) implements Runnable {
    @Override
    public void run() {
      task.run();
    }
  }

  /**
   * Runs {@code task} on the call pool as it is (it carries its own context); answers false when
   * the pool refuses it because the server is stopping.
   */
  boolean tryHand(Runnable task) {
    try {
      calls.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /**
   * Calls the method. When {@code interruptible}, the cancellation of the current context
   * interrupts this thread while the method runs (or waits for a SERIALIZED object's lock).
   */
  static Object run(ExposedObject object, ExposedObject.Call call,
      boolean interruptible) throws CallException {
    CallInterrupter interrupter = interruptible ? CallInterrupter.start(Context.current()) : null;
    try {
      if (object.lock != null) {
        if (interruptible) {
          object.lock.lockInterruptibly();
        } else {
          object.lock.lock();
        }
      }
      try {
        return call.method().method.invoke(object.target, call.args());
      } finally {
        if (object.lock != null) {
          object.lock.unlock();
        }
      }
    } catch (InvocationTargetException e) {
      Throwable thrown = e.getCause();
      throw RemoteFailure.of(object, call, thrown,
          RemoteFailure.framesBelow(thrown, new Throwable().getStackTrace()));
    } catch (InterruptedException e) {
      throw new CallException(ErrorReason.REMOTE_EXCEPTION, object.name + "."
          + call.method().name() + " was interrupted while it waited for its turn on the object",
          e);
    } catch (IllegalAccessException | IllegalArgumentException e) {
      throw new CallException(ErrorReason.BAD_ARGUMENTS,
          "cannot call " + object.name + "." + call.method().signature() + ": " + e);
    } finally {
      if (interrupter != null) {
        interrupter.close();
      }
    }
  }

  /** The items of a streaming method's {@code result}; its {@code iterator()} may throw. */
  static ItemSource source(ExposedObject object, ExposedObject.Call call, Object result)
      throws CallException {
    try {
      return ItemSource.of(result);
    } catch (Throwable e) {
      throw RemoteFailure.of(object, call, e,
          RemoteFailure.framesBelow(e, new Throwable().getStackTrace()));
    }
  }
}
