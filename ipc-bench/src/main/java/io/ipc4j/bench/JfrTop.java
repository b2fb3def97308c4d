package io.ipc4j.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a flight recording says the time and the allocations went: {@code JfrTop FILE [N]
 * [PREFIX]} prints the top N methods by CPU samples, on top of the stack (self) and anywhere in
 * it (total), and the top N allocation sites and classes by sampled bytes. With PREFIX (such as
 * {@code io.ipc4j}) the total list shows only methods whose class starts with it.
 */
public final class JfrTop {
  private static final int SITE_FRAMES = 4;

  private final Map<String, Long> self = new HashMap<>();
  private final Map<String, Long> total = new HashMap<>();
  private final Map<String, Long> allocSites = new HashMap<>();
  private final Map<String, Long> allocClasses = new HashMap<>();
  private long samples;
  private long allocBytes;

  private JfrTop() {}

  /** Prints the summary of one recording. */
  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 3) {
      System.err.println("usage: JfrTop FILE.jfr [N] [CLASS_PREFIX]");
      System.exit(2);
    }
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    String prefix = args.length > 2 ? args[2] : "";
    JfrTop top = new JfrTop();
    for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
      top.add(e);
    }
    System.out.print(top.summary(n, prefix));
  }

  private void add(RecordedEvent e) {
    String type = e.getEventType().getName();
    RecordedStackTrace stack = e.getStackTrace();
    if (stack == null || stack.getFrames().isEmpty()) {
      return;
    }
    List<RecordedFrame> frames = stack.getFrames();
    if (type.equals("jdk.ExecutionSample")) {
      samples++;
      self.merge(name(frames.get(0)), 1L, Long::sum);
      Set<String> seen = new HashSet<>();
      for (RecordedFrame f : frames) {
        if (seen.add(name(f))) {
          total.merge(name(f), 1L, Long::sum);
        }
      }
    } else if (type.equals("jdk.ObjectAllocationSample")) {
      long weight = e.getLong("weight");
      RecordedClass c = e.getClass("objectClass");
      allocBytes += weight;
      allocClasses.merge(c == null ? "?" : c.getName(), weight, Long::sum);
      allocSites.merge(site(frames), weight, Long::sum);
    }
  }

  /** The allocating frame and its callers: the first four frames outside java.* and jdk.*. */
  private static String site(List<RecordedFrame> frames) {
    StringBuilder s = new StringBuilder();
    int shown = 0;
    for (RecordedFrame f : frames) {
      String n = name(f);
      if (shown == 0 && (n.startsWith("java.") || n.startsWith("jdk."))) {
        continue;
      }
      s.append(shown == 0 ? "" : " < ").append(n);
      if (++shown == SITE_FRAMES) {
        break;
      }
    }
    return s.length() == 0 ? name(frames.get(0)) : s.toString();
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private String summary(int n, String prefix) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "%d CPU samples, %.1f MB sampled allocations%n",
        samples, allocBytes / 1e6));
    top(s, "self (top of stack)", self, samples, n, "");
    top(s, "total (anywhere on the stack)" + (prefix.isEmpty() ? "" : ", " + prefix + "*"),
        total, samples, n, prefix);
    top(s, "allocation sites by bytes", allocSites, allocBytes, n, "");
    top(s, "allocated classes by bytes", allocClasses, allocBytes, n, "");
    return s.toString();
  }

  private static void top(StringBuilder s, String title, Map<String, Long> counts, long all,
      int n, String prefix) {
    s.append(String.format(Locale.ROOT, "%n%s:%n", title));
    counts.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(n)
        .forEach(e -> s.append(String.format(Locale.ROOT, "  %5.1f%%  %12d  %s%n",
            all == 0 ? 0.0 : 100.0 * e.getValue() / all, e.getValue(), e.getKey())));
  }
}
