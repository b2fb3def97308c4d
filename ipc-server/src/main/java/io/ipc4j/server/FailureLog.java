package io.ipc4j.server;

import io.ipc4j.core.ErrorReason;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where a server's failed calls show. What the server must hear of is logged at WARNING: a method
 * that threw (with its traceback), a result that cannot be sent, and any failure of a oneway call,
 * since nobody waits for it. What is the client's own problem (no such object or method, bad
 * arguments, a serializer not accepted, a call cancelled or past its deadline) is logged at FINE.
 *
 * <p>A flood of failures does not flood the log: each object and method gets at most {@value
 * #WARNINGS_PER_MINUTE} WARNING records a minute; further failures in that minute go to FINE, and
 * when the minute is over one WARNING says how many there were. On the hot path this is a map
 * lookup and an atomic increment. Names and messages are escaped and cut by {@link LogText}.
 */
final class FailureLog {
  /**
   * The logger of failed calls, and of anything else a call leaves to log (a stream's source that
   * fails to close): a name users configure, see docs/server.md.
   */
  static final Logger CALLS = Logger.getLogger("io.ipc4j.server.InvokeService");

  /** The most WARNING records per object and method (or per kind of refusal) in a minute. */
  static final int WARNINGS_PER_MINUTE = 10;
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
  /** How many objects and methods are counted apart; the rest share one count. */
  private static final int MAX_COUNTED = 1024;
  private static final String OTHERS = "failures of other calls";
  /** The count of a window whose summary is out: increments keep it negative. */
  private static final int CLOSED = Integer.MIN_VALUE / 2;

  /** Runs a task after a delay: the summary at the end of a minute. */
  interface Scheduler {
    void schedule(Runnable task, long delayNanos);
  }

  private final Logger logger;
  private final LongSupplier nanoTime;
  private final Scheduler scheduler;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  /** A log on {@code logger}, timed by the system clock. */
  FailureLog(Logger logger) {
    this(logger, System::nanoTime, (task, delayNanos) -> CompletableFuture
        .delayedExecutor(delayNanos, TimeUnit.NANOSECONDS).execute(task));
  }

  /** A log on {@code logger}, timed by {@code nanoTime}, its summaries run by {@code scheduler}. */
  FailureLog(Logger logger, LongSupplier nanoTime, Scheduler scheduler) {
    this.logger = logger;
    this.nanoTime = nanoTime;
    this.scheduler = scheduler;
  }

  /**
   * Logs the failure of a call of {@code object}'s {@code method} (empty for {@code Describe}) at
   * the level its reason calls for. {@code cancelled}: the client cancelled the call or its
   * deadline passed, so nobody waits for it unless it is {@code oneway}.
   */
  void callFailed(String object, String method, CallException e, boolean oneway,
      boolean cancelled) {
    boolean refused = isRefusal(e.reason);
    boolean warn = oneway || (!refused && !cancelled);
    if (!logger.isLoggable(warn ? Level.WARNING : Level.FINE)) {
      return;
    }
    String call = method.isEmpty() ? "Describe of " + LogText.name(object)
        : LogText.name(object) + "." + LogText.name(method);
    String line = (oneway ? "oneway call " : cancelled ? "cancelled call " : "call ") + call
        + " failed: " + LogText.of(e.getMessage(), LogText.MAX_MESSAGE);
    Throwable thrown = LogText.safe(e.thrown);
    if (warn) {
      warn(oneway && refused ? "refused oneway calls" : "failures of " + call, line, thrown);
    } else {
      logger.log(Level.FINE, line, thrown);
    }
  }

  /**
   * Logs a refusal for want of room (a bound reached) at WARNING, at most {@value
   * #WARNINGS_PER_MINUTE} a minute for each kind {@code what}, such as "refused oneway calls".
   */
  void refused(String what, String line) {
    if (logger.isLoggable(Level.WARNING)) {
      warn(what, LogText.of(line, LogText.MAX_MESSAGE), null);
    }
  }

  /** Whether the server refused the call as the client made it, before any method ran. */
  private static boolean isRefusal(ErrorReason reason) {
    return reason != ErrorReason.REMOTE_EXCEPTION
        && reason != ErrorReason.RESULT_NOT_SERIALIZABLE;
  }

  /** Logs {@code line} at WARNING unless {@code what} had its share this minute; then at FINE. */
  private void warn(String what, String line, Throwable thrown) {
    long now = nanoTime.getAsLong();
    while (true) {
      Window w = window(what, now);
      int n = w.count.incrementAndGet();
      if (n <= 0) {
        continue; // its summary is out: the next window counts this one
      }
      if (n < WARNINGS_PER_MINUTE) {
        logger.log(Level.WARNING, line, thrown);
      } else if (n == WARNINGS_PER_MINUTE) {
        logger.log(Level.WARNING, line + " (" + n + " " + w.what
            + " within a minute: more in this minute are logged at FINE only)", thrown);
      } else {
        if (n == WARNINGS_PER_MINUTE + 1) {
          scheduler.schedule(() -> summarise(w), w.start + MINUTE - now);
        }
        logger.log(Level.FINE, line, thrown);
      }
      return;
    }
  }

  /** The current window of {@code what}: a new one once a minute has passed or it closed. */
  private Window window(String what, long now) {
    Window w = windows.get(what);
    if (w != null && now - w.start < MINUTE && w.count.get() >= 0) {
      return w;
    }
    if (w == null && windows.size() >= MAX_COUNTED) {
      windows.values().removeIf(old -> now - old.start >= MINUTE);
      if (windows.size() >= MAX_COUNTED) {
        what = OTHERS;
      }
    }
    return windows.compute(what, (key, old) ->
        old != null && now - old.start < MINUTE && old.count.get() >= 0
            ? old : new Window(key, now));
  }

  /** Closes {@code w} and says how many of its failures were logged at FINE only. */
  private void summarise(Window w) {
    int more = w.count.getAndSet(CLOSED) - WARNINGS_PER_MINUTE;
    if (more > 0) {
      logger.log(Level.WARNING, "… " + more + " more " + w.what
          + " in the last minute (logged at FINE only)");
    }
  }

  /** The failures of one object and method in the minute from {@code start}. */
  private static final class Window {
    final String what;
    final long start;
    final AtomicInteger count = new AtomicInteger();

    Window(String what, long start) {
      this.what = what;
      this.start = start;
    }
  }
}
