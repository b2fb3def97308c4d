package io.ipc4j.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The calls of one session that have not finished: those running on its server and those a delay
 * fault still holds back on the client. Teardown waits for it to empty and names what is left.
 */
final class InFlightCalls {
  private final Object lock = new Object();
  private final Set<Call> calls = new LinkedHashSet<>();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

  /** One unfinished call. */
  static final class Call {
    /** What the call is, as {@code object.method}; refined once the request is read. */
    volatile String name;
    /** The thread running it right now, or null when no thread is. */
    volatile Thread thread;
    /** For a call held back by a delay: the fault, and how to cancel it; else null. */
    final Fault heldBy;
    final Runnable abort;

    private Call(String name, Fault heldBy, Runnable abort) {
      this.name = name;
      this.heldBy = heldBy;
      this.abort = abort;
    }
  }

  /** Registers a call running on the server. */
  Call begin(String name) {
    return add(new Call(name, null, null));
  }

  /** Registers a call that {@code fault} holds back; {@code abort} cancels it. */
  Call hold(String name, Fault fault, Runnable abort) {
    return add(new Call(name, fault, abort));
  }

  private Call add(Call call) {
    synchronized (lock) {
      calls.add(call);
    }
    return call;
  }

  /** Notes that the server ran a call on {@code thread}, one of its own pool. */
  void ranOn(Thread thread) {
    if (thread.getName().startsWith(Session.SERVER_THREADS)) {
      threads.add(thread);
    }
  }

  /** The server threads that have run calls of this session. */
  Set<Thread> threads() {
    return Collections.unmodifiableSet(threads);
  }

  /** Unregisters {@code call}; safe to call more than once. */
  void end(Call call) {
    synchronized (lock) {
      if (calls.remove(call)) {
        lock.notifyAll();
      }
    }
  }

  /** Waits until no call is left or {@code deadlineNanos} ({@link System#nanoTime()}) passes. */
  boolean awaitNone(long deadlineNanos) throws InterruptedException {
    synchronized (lock) {
      while (!calls.isEmpty()) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /** The calls left, oldest first. */
  List<Call> snapshot() {
    synchronized (lock) {
      return new ArrayList<>(calls);
    }
  }
}
