package io.ipc4j.server;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The names closest to one a client got wrong, for "did you mean" in an error: those within a
 * small edit distance (a swap of two neighbouring letters counts as one edit; case is ignored, so
 * a name that differs only in case comes first).
 */
final class NameSuggestions {
  /** The most names suggested. */
  static final int MAX_SUGGESTIONS = 3;

  private NameSuggestions() {}

  /**
   * {@code "; did you mean 'get'?"} (or {@code 'a', 'b' or 'c'}) for the {@code names} closest to
   * {@code typed}, or the empty string when none is close.
   */
  static String didYouMean(String typed, Collection<String> names) {
    List<String> closest = closest(typed, names);
    if (closest.isEmpty()) {
      return "";
    }
    StringBuilder s = new StringBuilder("; did you mean ");
    for (int i = 0; i < closest.size(); i++) {
      s.append(i == 0 ? "" : i == closest.size() - 1 ? " or " : ", ")
          .append('\'').append(closest.get(i)).append('\'');
    }
    return s.append('?').toString();
  }

  /** Up to {@value #MAX_SUGGESTIONS} of {@code names} close to {@code typed}, closest first. */
  static List<String> closest(String typed, Collection<String> names) {
    int most = maxDistance(typed);
    String lower = null;
    List<Close> found = new ArrayList<>();
    for (String name : names) {
      if (name.equals(typed) || Math.abs(name.length() - typed.length()) > most) {
        continue; // lengths further apart than the distance allowed: not close
      }
      lower = lower == null ? typed.toLowerCase(Locale.ROOT) : lower;
      int d = distance(lower, name.toLowerCase(Locale.ROOT));
      if (d <= most) {
        found.add(new Close(name, d));
      }
    }
    return found.stream()
        .sorted(Comparator.comparingInt(Close::distance).thenComparing(Close::name))
        .limit(MAX_SUGGESTIONS).map(Close::name).toList();
  }

  private record Close(String name, int distance) {}

  /** How many edits a name may be from {@code typed}: a third of its length, 1 to 3. */
  static int maxDistance(String typed) {
    return Math.max(1, Math.min(3, typed.length() / 3));
  }

  /**
   * The optimal string alignment distance: insertions, deletions, substitutions and swaps of two
   * neighbouring characters count one each.
   */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int best = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          best = Math.min(best, d[i - 2][j - 2] + 1);
        }
        d[i][j] = best;
      }
    }
    return d[a.length()][b.length()];
  }
}
