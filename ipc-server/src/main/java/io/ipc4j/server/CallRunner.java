package io.ipc4j.server;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.ipc4j.core.ErrorReason;
import io.ipc4j.proto.v1.InvokeRequest;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

/**
 * The second stage of a call: where and how the exposed method runs. A call is handed to the
 * bounded call pool (or runs inline, for a small {@link io.ipc4j.core.NonBlocking} call); the
 * method runs under its object's lock when the object is SERIALIZED, and the call's cancellation
 * (the client cancelled, went away, or its deadline passed) interrupts the thread that runs it.
 */
final class CallRunner {
  /** The bounded pool that runs the exposed methods. */
  private final CallExecutor calls;
  /** Where refused calls are logged, a few a minute. */
  private final FailureLog failures;
  /** The threads running an exposed method now, and which ({@code object.method}). */
  private final Map<Thread, String> running = new ConcurrentHashMap<>();

  /**
   * A runner whose methods run on {@code calls}. grpc may call it on a transport thread, which
   * must never block: each call is handed to {@code calls} before anything of the user's runs.
   */
  CallRunner(CallExecutor calls, FailureLog failures) {
    this.calls = Objects.requireNonNull(calls, "calls == null");
    this.failures = failures;
  }

  /**
   * Runs {@code task}, the call {@code request} names on {@code objectName}, on the call pool with
   * the call's context, and answers whether it did. Beyond the bounds on waiting calls the call
   * gets RESOURCE_EXHAUSTED (and a warning is logged, a few a minute); a pool that is shut down
   * (the server is stopping) answers UNAVAILABLE.
   */
  boolean hand(ServerCallStreamObserver<?> responses, InvokeRequest request, String objectName,
      Runnable task) {
    try {
      calls.executeCall(Context.current().wrap(task), request.getSerializedSize());
      return true;
    } catch (CallExecutor.Busy e) {
      failures.refused("refused calls (server busy)", "refused call " + LogText.name(objectName)
          + "." + LogText.name(request.getMethod()) + ": " + e.getMessage());
      if (!responses.isCancelled()) {
        responses.onError(Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage())
            .asRuntimeException());
      }
    } catch (RejectedExecutionException e) {
      if (!responses.isCancelled()) {
        responses.onError(Status.UNAVAILABLE.withDescription("the server is stopping")
            .asRuntimeException());
      }
    }
    return false;
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
   * Runs {@code task}, a call of {@code bytes} of request, on the call pool as it is (it carries
   * its own context), within the bounds on calls waiting for a thread. Answers null when handed,
   * else the status the call gets: RESOURCE_EXHAUSTED beyond the bounds (a warning is logged, a
   * few a minute), UNAVAILABLE when the server is stopping.
   */
  Status tryHand(Runnable task, long bytes) {
    try {
      calls.executeCall(task, bytes);
      return null;
    } catch (CallExecutor.Busy e) {
      failures.refused("refused calls (server busy)", "refused a session call: " + e.getMessage());
      return Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage());
    } catch (RejectedExecutionException e) {
      return Status.UNAVAILABLE.withDescription("the server is stopping");
    }
  }

  /** Logs a refused call as the server's other refusals are logged: at most so many a minute. */
  void refused(String what, String line) {
    failures.refused(what, line);
  }

  /** The threads running {@code object.method} now: what a test kit waits for or names. */
  List<Thread> threadsRunning(String call) {
    List<Thread> threads = new ArrayList<>();
    running.forEach((thread, name) -> {
      if (name.equals(call)) {
        threads.add(thread);
      }
    });
    return threads;
  }

  /**
   * Calls the method. When {@code interruptible}, the cancellation of the current context
   * interrupts this thread while the method runs (or waits for a SERIALIZED object's lock).
   */
  Object run(ExposedObject object, ExposedObject.Call call, boolean interruptible)
      throws CallException {
    CallInterrupter interrupter = interruptible ? CallInterrupter.start(Context.current()) : null;
    Thread self = Thread.currentThread();
    running.put(self, call.method().call);
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
      running.remove(self);
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
