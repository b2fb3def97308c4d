package io.ipc4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs the benchmark: for each system one server JVM and one client JVM on loopback, then every
 * (scenario, threads) cell for each system in turn, so that a change of load on a shared machine
 * hits all systems alike. Prints the table, the ratios and the targets, and writes them to a
 * Markdown file with an SVG chart per scenario next to it. Exits 1 when a cell failed; a system
 * that cannot run here (Pyro4 not installed) is skipped with a line saying why. Every process it
 * started is gone when it returns, also after a failure or Ctrl-C.
 */
public final class Driver {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CELL_SLACK = Duration.ofSeconds(180);
  private static final int PREWARM_THREADS = 16;

  private final DriverOptions options;
  private final List<JvmProcess> started = new CopyOnWriteArrayList<>();
  private final Map<Contender, JvmProcess> clients = new LinkedHashMap<>();
  private final Map<Contender, String> startFailures = new LinkedHashMap<>();
  private final Map<Contender, String> skipped = new LinkedHashMap<>();
  private final List<Contender> systems = new ArrayList<>();
  private final List<String> notRun = new ArrayList<>();

  private Driver(DriverOptions options) {
    this.options = options;
  }

  /** Runs the benchmark and exits 0 when every cell passed; see {@link DriverOptions#USAGE}. */
  public static void main(String[] args) throws IOException, InterruptedException {
    System.exit(run(args));
  }

  /**
   * Runs the benchmark and answers the exit code: 0 when every cell passed, 1 when one failed, 2
   * for a bad command line.
   */
  static int run(String... args) throws IOException, InterruptedException {
    if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"))) {
      System.out.println(DriverOptions.USAGE);
      return 0;
    }
    DriverOptions options;
    try {
      options = DriverOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(DriverOptions.USAGE);
      return 2;
    }
    Driver driver = new Driver(options);
    Thread killer = new Thread(driver::killAll, "kill-benchmark-jvms");
    Runtime.getRuntime().addShutdownHook(killer);
    try {
      return driver.run() ? 0 : 1;
    } finally {
      driver.stopAll();
      try {
        Runtime.getRuntime().removeShutdownHook(killer);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to
      }
    }
  }

  private boolean run() throws IOException, InterruptedException {
    String machine = Machine.describe();
    String loadBefore = Machine.load();
    Instant begin = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    for (Contender c : options.systems()) {
      String why = c == Contender.PYRO4 ? Pyro4Script.unavailable(options.python()) : null;
      if (why != null) {
        skipped.put(c, why);
        System.err.println(c.label + ": not measured (" + why + ")");
      } else {
        systems.add(c);
      }
    }
    for (Contender c : systems) {
      try {
        clients.put(c, startPair(c));
      } catch (IOException e) {
        startFailures.put(c, e.getMessage());
        System.err.println("cannot start " + c.label + ": " + e.getMessage());
      }
    }
    prewarm();
    List<CellResult> results = new ArrayList<>();
    int total = 0;
    for (Scenario s : options.scenarios()) {
      for (Contender c : systems) {
        if (c.runs(s)) {
          total += options.threads().size();
        } else {
          notRun.add(c.label + ": " + s.label + " not measured (it has no callbacks here)");
          System.err.println(notRun.get(notRun.size() - 1));
        }
      }
    }
    for (Scenario s : options.scenarios()) {
      for (int n : options.threads()) {
        for (Contender c : systems) {
          if (!c.runs(s)) {
            continue;
          }
          CellResult r = runCell(c, s, n);
          results.add(r);
          System.err.println(progress(results.size(), total, r));
        }
      }
    }
    stopAll();
    String loadAfter = Machine.load();
    List<CellResult> ordered = order(results);
    Path out = options.out().toAbsolutePath();
    Files.createDirectories(out.getParent());
    List<String> charts = new ArrayList<>();
    for (Scenario s : options.scenarios()) {
      Path chart = chartFile(out, s);
      Files.writeString(chart, SvgChart.of(ordered, s, "Run of " + begin + ", "
          + seconds(options.measure()) + " measured per cell; " + machine));
      charts.add(chart.getFileName().toString());
    }
    Report report = new Report(ordered);
    String markdown = markdown(report, machine, begin, loadBefore, loadAfter, charts);
    System.out.println();
    System.out.print(markdown);
    Files.writeString(out, markdown);
    System.out.println();
    System.out.println("written to " + out + " and " + String.join(", ", charts));
    return results.stream().allMatch(CellResult::ok);
  }

  /** {@code results.md} → {@code results-add.svg}, next to it. */
  static Path chartFile(Path markdown, Scenario s) {
    String name = markdown.getFileName().toString();
    String stem = name.endsWith(".md") ? name.substring(0, name.length() - 3) : name;
    return markdown.resolveSibling(stem + "-" + s.id + ".svg");
  }

  private JvmProcess startPair(Contender c) throws IOException, InterruptedException {
    Path dir = options.out().toAbsolutePath().getParent();
    if (c == Contender.PYRO4) {
      return startPyro4(dir);
    }
    JvmProcess server = JvmProcess.start(c.id + "-server", ServerMain.class,
        jvmOptions(c.id + "-server"), List.of(c.id, dir.toString()));
    started.add(server);
    String address = server.await(ServerMain.LISTENING, START_TIMEOUT)
        .substring(ServerMain.LISTENING.length()).trim();
    JvmProcess client = JvmProcess.start(c.id + "-client", ClientMain.class,
        jvmOptions(c.id + "-client"), List.of(c.id, address, String.valueOf(server.pid())));
    started.add(client);
    client.await(ClientMain.READY, START_TIMEOUT);
    System.err.println(c.label + ": server pid " + server.pid() + " at " + address
        + ", client pid " + client.pid());
    return client;
  }

  private JvmProcess startPyro4(Path dir) throws IOException, InterruptedException {
    Path script = Pyro4Script.extract(dir);
    JvmProcess server = JvmProcess.exec("pyro4-server",
        Pyro4Script.server(options.python(), script));
    started.add(server);
    String uri = server.await(ServerMain.LISTENING, START_TIMEOUT)
        .substring(ServerMain.LISTENING.length()).trim();
    JvmProcess client = JvmProcess.exec("pyro4-client",
        Pyro4Script.client(options.python(), script, uri, server.pid()));
    started.add(client);
    client.await(ClientMain.READY, START_TIMEOUT);
    System.err.println("Pyro4: server pid " + server.pid() + " at " + uri + ", client pid "
        + client.pid());
    return client;
  }

  private List<String> jvmOptions(String name) throws IOException {
    List<String> o = new ArrayList<>();
    o.add("-Xmx" + options.heap());
    o.add("-Djava.rmi.server.hostname=" + GrpcSystem.LOOPBACK);
    if (options.jfrDir() != null) {
      Files.createDirectories(options.jfrDir());
      o.add("-Xlog:jfr+startup=error");
      o.add("-XX:StartFlightRecording=settings=profile,method-profiling=max,dumponexit=true,"
          + "filename=" + options.jfrDir().toAbsolutePath().resolve(name + ".jfr"));
    }
    o.addAll(options.jvmArgs());
    return o;
  }

  /**
   * Calls every scenario of every system for a while, unmeasured: the JIT compiles the call paths
   * before the first cell, so that cell is not measured on a colder JVM than the later ones.
   */
  private void prewarm() throws InterruptedException {
    if (options.prewarm().isZero()) {
      return;
    }
    for (Contender c : systems) {
      List<Scenario> scenarios = options.scenarios().stream().filter(c::runs).toList();
      if (scenarios.isEmpty()) {
        continue;
      }
      Duration each = options.prewarm().dividedBy(scenarios.size());
      System.err.println(c.label + ": pre-warming " + seconds(options.prewarm()));
      for (Scenario s : scenarios) {
        CellResult r = runCell(c, s, PREWARM_THREADS, Duration.ZERO, each);
        if (!r.ok()) {
          System.err.println(c.label + ": pre-warm of " + s.label + " failed: " + r.failure());
        }
      }
    }
  }

  private CellResult runCell(Contender c, Scenario s, int threads) throws InterruptedException {
    return runCell(c, s, threads, options.warmup(), options.measure());
  }

  private CellResult runCell(Contender c, Scenario s, int threads, Duration warmup,
      Duration measure) throws InterruptedException {
    JvmProcess client = clients.get(c);
    if (client == null) {
      return CellResult.failed(c, s, threads, "not started: " + startFailures.get(c));
    }
    try {
      client.send(String.join(" ", ClientMain.CELL, s.id, String.valueOf(threads),
          String.valueOf(warmup.toMillis()), String.valueOf(measure.toMillis())));
      Duration timeout = warmup.plus(measure).plus(CELL_SLACK);
      return CellResult.parse(client.await(CellResult.PREFIX, timeout));
    } catch (IOException | IllegalArgumentException e) {
      clients.remove(c);
      startFailures.put(c, e.getMessage());
      client.kill();
      return CellResult.failed(c, s, threads, e.getMessage());
    }
  }

  /** The results by system, then scenario and threads, as the table shows them. */
  private List<CellResult> order(List<CellResult> results) {
    List<CellResult> ordered = new ArrayList<>();
    for (Contender c : systems) {
      results.stream().filter(r -> r.contender() == c).forEach(ordered::add);
    }
    return ordered;
  }

  private String markdown(Report report, String machine, Instant begin, String loadBefore,
      String loadAfter, List<String> charts) {
    StringBuilder s = new StringBuilder();
    s.append("Run of ").append(begin).append(": pre-warm ").append(seconds(options.prewarm()))
        .append(" per system, then warm-up ").append(seconds(options.warmup()))
        .append(" + measured ").append(seconds(options.measure()))
        .append(" per cell; server and client JVMs -Xmx").append(options.heap())
        .append(", loopback TCP.\n\n")
        .append("Machine: ").append(machine).append(".\n\n")
        .append("Load average (1, 5, 15 min) before: ").append(loadBefore)
        .append("; after: ").append(loadAfter).append(".\n\n")
        .append(report.table()).append('\n');
    skipped.forEach((c, why) -> s.append(c.label).append(": not measured (").append(why)
        .append(").\n\n"));
    notRun.forEach(line -> s.append(line).append(".\n\n"));
    String failures = report.failures();
    if (!failures.isEmpty()) {
      s.append("Failed cells:\n\n").append(failures).append('\n');
    }
    s.append("Ratios, ipc4j over the others (calls/s: above 1 is faster; p50: below 1 is"
        + " faster):\n\n").append(report.ratios()).append('\n')
        .append("Targets:\n\n").append(report.targets()).append('\n');
    String callbacks = report.callbacks();
    if (!callbacks.isEmpty()) {
      s.append("Callbacks over add, each system on its own (calls/s: above 1 is faster; p50:"
          + " below 1 is faster):\n\n").append(callbacks).append('\n');
    }
    for (String chart : charts) {
      s.append("![").append(chart).append("](").append(chart).append(")\n");
    }
    return s.toString();
  }

  private static String progress(int done, int total, CellResult r) {
    String what = String.format(Locale.ROOT, "[%d/%d] %s, %s, %d threads: ", done, total,
        r.contender().label, r.scenario().label, r.threads());
    if (!r.ok()) {
      return what + "FAILED: " + r.failure();
    }
    return what + String.format(Locale.ROOT, "%,.0f calls/s, p50 %.1f µs, p99 %.1f µs",
        r.callsPerSecond(), r.p50Nanos() / 1e3, r.p99Nanos() / 1e3);
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3g s", d.toMillis() / 1000.0);
  }

  /** Stops every JVM in reverse order of start: clients first, then servers. */
  private void stopAll() {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
    started.clear();
    clients.clear();
  }

  /** On Ctrl-C or an unexpected exit: kill whatever is still running. */
  private void killAll() {
    for (JvmProcess p : List.copyOf(started)) {
      p.kill();
    }
  }
}
