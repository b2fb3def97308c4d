package io.ipc4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the table of a run's Markdown ({@link Report#table()}) back into cells, so that the charts
 * of an earlier run can be drawn again from its results file or from a copy of its table in the
 * docs: {@code ipc-bench/run chart FILE.md [OUT.md]}.
 */
public final class ResultsTable {
  private ResultsTable() {}

  /** Draws a chart per scenario of the table in {@code args[0]}, next to {@code args[1]} or it. */
  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 3) {
      System.err.println("usage: ipc-bench/run chart RESULTS.md [OUT.md [SUBTITLE]]");
      System.exit(2);
    }
    Path in = Path.of(args[0]);
    Path out = args.length > 1 ? Path.of(args[1]) : in;
    List<CellResult> cells = parse(Files.readString(in));
    if (cells.isEmpty()) {
      System.err.println(in + " holds no row of a results table");
      System.exit(1);
    }
    String subtitle = args.length > 2 ? args[2] : "from " + in.getFileName();
    Set<Scenario> scenarios = new LinkedHashSet<>();
    cells.forEach(c -> scenarios.add(c.scenario()));
    for (Scenario s : scenarios) {
      Path chart = Driver.chartFile(out.toAbsolutePath(), s);
      Files.writeString(chart, SvgChart.of(cells, s, subtitle));
      System.out.println("written " + chart);
    }
  }

  /**
   * The cells of every row of a results table in {@code markdown}, in their order. A row is one
   * whose first two cells name a system and a scenario; other lines are skipped. Calls/s, p50,
   * p99, CPU per call, server threads and RSS are read back (the window becomes one second).
   *
   * @throws IllegalArgumentException naming the row when a number in it cannot be read
   */
  static List<CellResult> parse(String markdown) {
    List<CellResult> cells = new ArrayList<>();
    for (String line : markdown.split("\n")) {
      String trimmed = line.trim();
      if (!trimmed.startsWith("|") || !trimmed.endsWith("|")) {
        continue;
      }
      String[] f = trimmed.substring(1, trimmed.length() - 1).split("\\|", -1);
      if (f.length != 10) {
        continue;
      }
      for (int i = 0; i < f.length; i++) {
        f[i] = f[i].trim();
      }
      Contender c = byLabel(f[0]);
      Scenario s = scenario(f[1]);
      if (c == null || s == null) {
        continue;
      }
      try {
        int threads = Integer.parseInt(f[2]);
        if (f[3].equals("FAILED")) {
          cells.add(CellResult.failed(c, s, threads, "failed in the table read"));
          continue;
        }
        long calls = Math.round(number(f[3]));
        double cpu = f[7].equals("-") ? -1 : number(f[7]);
        cells.add(new CellResult(c, s, threads, calls, 1.0, Math.round(number(f[4]) * 1e3),
            Math.round(number(f[5]) * 1e3), cpu < 0 ? -1 : Math.round(cpu * 1e3 * calls),
            f[8].equals("-") ? -1 : Integer.parseInt(f[8]),
            f[9].equals("-") ? -1 : Math.round(number(f[9]) * 1024), null));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("cannot read the row '" + trimmed + "': "
            + e.getMessage(), e);
      }
    }
    return cells;
  }

  private static double number(String cell) {
    return Double.parseDouble(cell.replace(",", ""));
  }

  private static Contender byLabel(String label) {
    for (Contender c : Contender.values()) {
      if (c.label.equals(label)) {
        return c;
      }
    }
    return null;
  }

  private static Scenario scenario(String label) {
    for (Scenario s : Scenario.values()) {
      if (s.label.equals(label)) {
        return s;
      }
    }
    return null;
  }
}
