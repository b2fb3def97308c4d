package io.ipc4j.bench;

import java.util.ArrayList;
import java.util.List;

/** A Markdown table whose columns are padded, so that it reads well in a terminal too. */
final class MarkdownTable {
  private final List<String> headers;
  private final boolean[] right;
  private final List<List<String>> rows = new ArrayList<>();

  /** A table; a header starting with {@code >} is right-aligned (the mark is not shown). */
  MarkdownTable(String... headers) {
    this.headers = new ArrayList<>();
    this.right = new boolean[headers.length];
    for (int i = 0; i < headers.length; i++) {
      right[i] = headers[i].startsWith(">");
      this.headers.add(right[i] ? headers[i].substring(1) : headers[i]);
    }
  }

  MarkdownTable row(String... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(
          "row of " + cells.length + " cells for " + headers.size() + " columns");
    }
    rows.add(List.of(cells));
    return this;
  }

  @Override
  public String toString() {
    int[] width = new int[headers.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = Math.max(3, headers.get(c).length());
      for (List<String> row : rows) {
        width[c] = Math.max(width[c], row.get(c).length());
      }
    }
    StringBuilder s = new StringBuilder();
    line(s, headers, width);
    s.append('|');
    for (int c = 0; c < width.length; c++) {
      s.append(right[c] ? "-".repeat(width[c] + 1) + ":" : ":" + "-".repeat(width[c] + 1))
          .append('|');
    }
    s.append('\n');
    rows.forEach(row -> line(s, row, width));
    return s.toString();
  }

  private void line(StringBuilder s, List<String> cells, int[] width) {
    s.append('|');
    for (int c = 0; c < width.length; c++) {
      String pad = " ".repeat(width[c] - cells.get(c).length());
      s.append(' ').append(right[c] ? pad + cells.get(c) : cells.get(c) + pad).append(" |");
    }
    s.append('\n');
  }
}
