package io.ipc4j.server;

import io.grpc.Context;
import java.util.concurrent.Executor;

/**
 * Interrupts the thread that runs a call when the call's {@link Context} is cancelled (the client
 * cancelled, went away, or its deadline passed), so that a method blocked in I/O, a lock or a
 * sleep stops. Only while the call runs: once {@link #close()} has returned, the thread (a pooled
 * one, soon running another call) is never interrupted on this call's behalf, and an interrupt
 * this class delivered and nobody consumed is cleared.
 *
 * <pre>{@code
 * try (CallInterrupter i = CallInterrupter.start(Context.current())) {
 *   method.invoke(target, args);
 * }
 * }</pre>
 */
final class CallInterrupter implements Context.CancellationListener, AutoCloseable {
  private static final Executor DIRECT = Runnable::run;

  private final Context context;
  private final Thread thread = Thread.currentThread();
  /** Guarded by this: whether the call still runs on {@link #thread}. */
  private boolean running = true;
  /** Guarded by this: whether this interrupted {@link #thread}. */
  private boolean interrupted;

  private CallInterrupter(Context context) {
    this.context = context;
  }

  /**
   * Watches {@code context} for the call that runs on the current thread from now until {@link
   * #close()}. A context already cancelled interrupts the current thread at once.
   */
  static CallInterrupter start(Context context) {
    CallInterrupter interrupter = new CallInterrupter(context);
    context.addListener(interrupter, DIRECT);
    return interrupter;
  }

  @Override
  public synchronized void cancelled(Context cancelled) {
    if (running) {
      interrupted = true;
      thread.interrupt();
    }
  }

  /**
   * Ends the watch; call it on the thread that called {@link #start}. Clears the interrupt flag if
   * this class set it, so the pooled thread goes on clean.
   */
  @Override
  public void close() {
    boolean clear;
    synchronized (this) {
      running = false;
      clear = interrupted;
    }
    context.removeListener(this);
    if (clear && Thread.currentThread() == thread) {
      Thread.interrupted();
    }
  }
}
