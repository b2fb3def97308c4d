package io.ipc4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * One scenario of a run as a grouped bar chart in SVG: a group per thread count, a bar per system,
 * bar heights proportional to the value (calls/s, or MB/s for a payload). Plain SVG text with no
 * script or font of its own, so that it can be committed next to the Markdown and diffed.
 */
final class SvgChart {
  private static final int WIDTH = 760;
  private static final int HEIGHT = 400;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 50;
  private static final int BOTTOM = 80;
  /** Room above the highest bar for its label. */
  private static final double HEADROOM = 1.08;
  private static final String[] COLOURS = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};

  private SvgChart() {}

  /**
   * The chart of {@code scenario}: calls/s for a small call, MB/s for a payload. Systems keep the
   * order of {@code results}; failed cells draw no bar.
   */
  static String of(List<CellResult> results, Scenario scenario, String subtitle) {
    boolean payload = scenario.payloadBytes >= 1024 * 1024;
    return bars(results, scenario, payload ? "MB/s" : "calls/s",
        payload ? CellResult::megabytesPerSecond : CellResult::callsPerSecond, subtitle);
  }

  /** The chart of {@code metric} for the ok cells of {@code scenario}. */
  static String bars(List<CellResult> results, Scenario scenario, String unit,
      ToDoubleFunction<CellResult> metric, String subtitle) {
    List<CellResult> cells = results.stream()
        .filter(r -> r.scenario() == scenario && r.ok()).toList();
    List<Contender> systems = new ArrayList<>();
    List<Integer> threads = new ArrayList<>();
    for (CellResult r : cells) {
      if (!systems.contains(r.contender())) {
        systems.add(r.contender());
      }
      if (!threads.contains(r.threads())) {
        threads.add(r.threads());
      }
    }
    threads.sort(null);
    double max = cells.stream().mapToDouble(metric).max().orElse(0);
    double top = niceCeiling(max * HEADROOM);
    int plotWidth = WIDTH - LEFT - RIGHT;
    int plotHeight = HEIGHT - TOP - BOTTOM;
    int baseline = TOP + plotHeight;

    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
        .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH)
        .append(' ').append(HEIGHT).append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
    s.append("  <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    text(s, WIDTH / 2.0, 22, "middle", 16, scenario.label + ": " + unit
        + " by client threads (higher is better)");
    text(s, WIDTH / 2.0, 40, "middle", 11, subtitle);
    for (int i = 0; i <= 4; i++) {
      double value = top * i / 4;
      double y = baseline - plotHeight * (value / top);
      s.append("  <line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
          .append("\" y1=\"").append(num(y)).append("\" y2=\"").append(num(y))
          .append("\" stroke=\"#ddd\"/>\n");
      text(s, LEFT - 6, y + 4, "end", 11, compact(value));
    }
    double groupWidth = threads.isEmpty() ? plotWidth : (double) plotWidth / threads.size();
    double barWidth = groupWidth * 0.8 / Math.max(1, systems.size());
    for (int g = 0; g < threads.size(); g++) {
      int n = threads.get(g);
      double groupX = LEFT + g * groupWidth + groupWidth * 0.1;
      for (int b = 0; b < systems.size(); b++) {
        CellResult cell = find(cells, systems.get(b), n);
        if (cell == null) {
          continue;
        }
        double value = metric.applyAsDouble(cell);
        double h = top > 0 ? plotHeight * value / top : 0;
        double x = groupX + b * barWidth;
        s.append("  <rect class=\"bar\" data-system=\"").append(escape(systems.get(b).label))
            .append("\" data-threads=\"").append(n).append("\" data-value=\"")
            .append(num(value)).append("\" x=\"").append(num(x)).append("\" y=\"")
            .append(num(baseline - h)).append("\" width=\"").append(num(barWidth * 0.9))
            .append("\" height=\"").append(num(h)).append("\" fill=\"")
            .append(colour(systems.get(b))).append("\"><title>")
            .append(escape(systems.get(b).label)).append(", ").append(n).append(" threads: ")
            .append(escape(format("%,.1f", value))).append(' ').append(unit)
            .append("</title></rect>\n");
        text(s, x + barWidth * 0.45, baseline - h - 3, "middle", 9, compact(value));
      }
      text(s, groupX + groupWidth * 0.4, baseline + 16, "middle", 12,
          n + (n == 1 ? " thread" : " threads"));
    }
    s.append("  <line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
        .append("\" y1=\"").append(baseline).append("\" y2=\"").append(baseline)
        .append("\" stroke=\"#333\"/>\n");
    double legendX = LEFT;
    int legendY = HEIGHT - 30;
    for (int b = 0; b < systems.size(); b++) {
      s.append("  <rect x=\"").append(num(legendX)).append("\" y=\"").append(legendY - 10)
          .append("\" width=\"12\" height=\"12\" fill=\"")
          .append(colour(systems.get(b))).append("\"/>\n");
      String label = systems.get(b).label;
      text(s, legendX + 16, legendY, "start", 12, label);
      legendX += 28 + 7.2 * label.length();
    }
    s.append("</svg>\n");
    return s.toString();
  }

  /** A system keeps its colour in every chart. */
  private static String colour(Contender c) {
    return COLOURS[c.ordinal() % COLOURS.length];
  }

  private static CellResult find(List<CellResult> cells, Contender c, int threads) {
    for (CellResult r : cells) {
      if (r.contender() == c && r.threads() == threads) {
        return r;
      }
    }
    return null;
  }

  /** The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least {@code max}. */
  static double niceCeiling(double max) {
    if (max <= 0) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(max)));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (step * power >= max) {
        return step * power;
      }
    }
    return 10 * power;
  }

  /** 21,608 as {@code 21.6k}, 25,000 as {@code 25k}, 435.2 as {@code 435}, 4.3 as {@code 4.3}. */
  static String compact(double value) {
    if (value >= 1e6) {
      return format("%.1fM", value / 1e6);
    }
    if (value >= 1e3) {
      String k = format("%.1f", value / 1e3);
      return (k.endsWith(".0") ? k.substring(0, k.length() - 2) : k) + "k";
    }
    return value >= 100 || value == Math.rint(value) ? format("%.0f", value)
        : format("%.1f", value);
  }

  private static void text(StringBuilder s, double x, double y, String anchor, int size,
      String text) {
    s.append("  <text x=\"").append(num(x)).append("\" y=\"").append(num(y))
        .append("\" text-anchor=\"").append(anchor).append("\" font-size=\"").append(size)
        .append("\">").append(escape(text)).append("</text>\n");
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static String num(double v) {
    return format("%.1f", v);
  }

  private static String format(String pattern, double value) {
    return String.format(Locale.ROOT, pattern, value);
  }
}
