package io.ipc4j.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The driver's command line.
 *
 * @param prewarm how long each client JVM first calls every scenario, unmeasured, so that the
 *     first cell does not meet a colder JIT than the later ones
 * @param warmup how long each cell warms up before it is measured
 * @param measure how long each cell is measured
 * @param systems the contenders, started in this order
 * @param scenarios the calls
 * @param threads the client thread counts
 * @param heap the -Xmx of each server and client JVM
 * @param jfrDir where each JVM writes a flight recording, or null for none
 * @param jvmArgs more options for every server and client JVM
 * @param python the Python interpreter that runs the Pyro4 contender
 * @param out the Markdown file the table is written to; the charts go next to it
 */
record DriverOptions(Duration prewarm, Duration warmup, Duration measure, List<Contender> systems,
    List<Scenario> scenarios, List<Integer> threads, String heap, Path jfrDir,
    List<String> jvmArgs, String python, Path out) {

  /** Set by ipc-bench/run to the module's folder, where the default output file goes. */
  static final String HOME_PROPERTY = "ipc.bench.home";

  static final String USAGE = String.join("\n",
      "usage: ipc-bench/run [--quick] [--prewarm S] [--warmup S] [--measure S] [--systems LIST]",
      "                     [--scenarios LIST] [--threads LIST] [--heap SIZE] [--jfr DIR]",
      "                     [--jvm-arg ARG]... [--python CMD] [--out FILE]",
      "       ipc-bench/run jmh [JMH OPTIONS]     micro-benchmarks (short by default)",
      "       ipc-bench/run jfr FILE.jfr [N]      top methods and allocations of a recording",
      "       ipc-bench/run chart FILE.md [OUT.md [TITLE]]  a results table's charts again",
      "  --quick         2 s pre-warm, 1 s warm-up + 2 s measured per cell",
      "                  (default 15 s pre-warm, 5 s warm-up + 10 s measured)",
      "  --prewarm S     seconds each client first calls all scenarios, unmeasured",
      "  --warmup S      seconds of warm-up per cell (decimals allowed)",
      "  --measure S     seconds measured per cell",
      "  --systems LIST  comma-separated, default ipc4j-json,ipc4j-cbor,grpc,rmi;",
      "                  pyro4 is Pyro4 in Python, skipped where it cannot import Pyro4,",
      "                  grpc-deadline is typed gRPC with ipc4j's 30 s deadline per call,",
      "                  ipc4j-unix is ipc4j cbor over a Unix domain socket,",
      "                  ipc4j-inline ipc4j cbor with @NonBlocking methods,",
      "                  ipc4j-session ipc4j cbor with its calls on one session,",
      "                  ipc4j-otel as ipc4j-session, with ipc-opentelemetry on both ends,",
      "                  every span sampled, ipc4j-otel-ratio the same with one trace",
      "                  in ten sampled (parent-based),",
      "                  grpc-stream typed gRPC with its calls as messages on one",
      "                  stream, answered on the server's transport thread,",
      "                  grpc-stream-pool the same, answered by a pool of 16 threads",
      "                  (the ceiling of ipc4j-session)",
      "  --scenarios L   comma-separated, default add,echo-1k,echo-1m;",
      "                  callback is add's shape with the server calling the client back",
      "                  inside, callback-leg 10 callbacks per call, counted each",
      "                  (ipc4j-session, ipc4j-otel, ipc4j-otel-ratio and rmi only;",
      "                  others skip them)",
      "  --threads LIST  client threads, default 1,16,64",
      "  --heap SIZE     -Xmx of every server and client JVM, default 1g",
      "  --jfr DIR       record each JVM with JFR's profile settings into DIR",
      "  --jvm-arg ARG   one more option for every server and client JVM (repeatable)",
      "  --python CMD    the Python that runs pyro4, default python3",
      "  --out FILE      where the Markdown table goes, default ipc-bench/target/results.md;",
      "                  a chart per scenario goes next to it (results-add.svg, ...)");

  /**
   * Parses the command line.
   *
   * @throws IllegalArgumentException naming the option that is wrong
   */
  static DriverOptions parse(String... args) {
    Duration prewarm = Duration.ofSeconds(15);
    Duration warmup = Duration.ofSeconds(5);
    Duration measure = Duration.ofSeconds(10);
    List<Contender> systems = Contender.DEFAULTS;
    List<Scenario> scenarios = Scenario.DEFAULTS;
    List<Integer> threads = List.of(1, 16, 64);
    String heap = "1g";
    Path jfr = null;
    List<String> jvmArgs = new ArrayList<>();
    String python = "python3";
    String home = System.getProperty(HOME_PROPERTY);
    Path out = home == null ? Path.of("target", "results.md")
        : Path.of(home, "target", "results.md");
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      switch (option) {
        case "--quick" -> {
          prewarm = Duration.ofSeconds(2);
          warmup = Duration.ofSeconds(1);
          measure = Duration.ofSeconds(2);
        }
        case "--prewarm" -> prewarm = seconds(option, value(args, ++i, option));
        case "--warmup" -> warmup = seconds(option, value(args, ++i, option));
        case "--measure" -> measure = seconds(option, value(args, ++i, option));
        case "--systems" -> systems = list(value(args, ++i, option)).stream()
            .map(Contender::byId).toList();
        case "--scenarios" -> scenarios = list(value(args, ++i, option)).stream()
            .map(Scenario::byId).toList();
        case "--threads" -> threads = list(value(args, ++i, option)).stream()
            .map(t -> positive(option, t)).toList();
        case "--heap" -> heap = value(args, ++i, option);
        case "--jfr" -> jfr = Path.of(value(args, ++i, option));
        case "--jvm-arg" -> jvmArgs.add(value(args, ++i, option));
        case "--python" -> python = value(args, ++i, option);
        case "--out" -> out = Path.of(value(args, ++i, option));
        default -> throw new IllegalArgumentException("unknown option '" + option + "'");
      }
    }
    if (measure.isZero()) {
      throw new IllegalArgumentException("--measure must be more than 0 seconds");
    }
    return new DriverOptions(prewarm, warmup, measure, systems, scenarios, threads, heap, jfr,
        List.copyOf(jvmArgs), python, out);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static List<String> list(String value) {
    List<String> items = Arrays.stream(value.split(",")).map(String::trim)
        .filter(s -> !s.isEmpty()).toList();
    if (items.isEmpty()) {
      throw new IllegalArgumentException("empty list '" + value + "'");
    }
    return items;
  }

  private static Duration seconds(String option, String value) {
    try {
      double s = Double.parseDouble(value);
      if (s < 0 || Double.isNaN(s) || Double.isInfinite(s)) {
        throw new NumberFormatException();
      }
      return Duration.ofMillis(Math.round(s * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs seconds, was '" + value + "'");
    }
  }

  private static int positive(String option, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n <= 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs positive numbers, was '" + value + "'");
    }
  }
}
