package io.ipc4j.core.internal;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Timers of one daemon thread that exits when nothing is scheduled, so that a process whose calls
 * have ended keeps no thread for them; a cancelled task is removed at once.
 */
public final class IdleTimers {
  private IdleTimers() {}

  /** A new timer whose thread, when it runs, is called {@code threadName}. */
  public static ScheduledThreadPoolExecutor create(String threadName) {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    timer.setKeepAliveTime(1, TimeUnit.SECONDS);
    timer.allowCoreThreadTimeOut(true);
    return timer;
  }
}
