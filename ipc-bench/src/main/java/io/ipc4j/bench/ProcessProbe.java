package io.ipc4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads CPU time, threads and resident memory of the client JVM and the server JVM from Linux's
 * {@code /proc}. Answers -1 where {@code /proc} cannot be read (another OS, a process gone).
 */
final class ProcessProbe {
  /** Linux's USER_HZ, the unit of utime and stime in /proc/PID/stat, on every common platform. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private final long serverPid;

  /** Probes this JVM and the server JVM {@code serverPid}; -1 probes this JVM only. */
  ProcessProbe(long serverPid) {
    this.serverPid = serverPid;
  }

  /** CPU time of this JVM plus the server JVM's, in nanoseconds; -1 when unknown. */
  long cpuNanos() {
    long self = cpuNanos(ProcessHandle.current().pid());
    if (serverPid < 0 || self < 0) {
      return self;
    }
    long server = cpuNanos(serverPid);
    return server < 0 ? -1 : self + server;
  }

  /** The server JVM's thread count; -1 when unknown. */
  int serverThreads() {
    return (int) status(serverPid, "Threads:");
  }

  /** The server JVM's resident set in KiB; -1 when unknown. */
  long serverRssKb() {
    return status(serverPid, "VmRSS:");
  }

  private static long cpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      // After "pid (comm) ": state is field 3, utime field 14, stime field 15.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long status(long pid, String key) {
    if (pid < 0) {
      return -1;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
