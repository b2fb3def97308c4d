package io.ipc4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the benchmark ran on, read from the JVM and Linux's {@code /proc}. */
final class Machine {
  private Machine() {}

  /** Cores, CPU model, memory, OS and Java, on one line. */
  static String describe() {
    String cpu = proc("/proc/cpuinfo", "model name");
    long memKb = number(proc("/proc/meminfo", "MemTotal"));
    return Runtime.getRuntime().availableProcessors() + " cores"
        + (cpu.isEmpty() ? "" : " (" + cpu + ")")
        + (memKb > 0 ? String.format(", %.1f GiB memory", memKb / 1024.0 / 1024.0) : "")
        + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version")
        + " " + System.getProperty("os.arch")
        + ", " + System.getProperty("java.vm.name") + " "
        + System.getProperty("java.runtime.version");
  }

  /** The 1, 5 and 15 minute load averages, or "unknown". */
  static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String proc(String file, String key) {
    try {
      for (String line : Files.readAllLines(Path.of(file))) {
        if (line.startsWith(key)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return "";
  }

  private static long number(String value) {
    try {
      return Long.parseLong(value.split("\\s+")[0]);
    } catch (RuntimeException e) {
      return -1;
    }
  }
}
