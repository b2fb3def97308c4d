package io.ipc4j.server;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Text from a request made safe for a log line: control characters (line breaks, terminal
 * escapes), Unicode line separators and invisible formatting characters are written as {@code
 * \n}, {@code \r}, {@code \t} or {@code \}{@code uXXXX}, and long text is cut, so that a client
 * cannot forge or bury log lines through an object name, a method name or an exception message.
 */
final class LogText {
  /** The most characters of an object or method name a log line shows. */
  static final int MAX_NAME = 100;
  /** The most characters of a message a log line shows. */
  static final int MAX_MESSAGE = 1000;
  /** How deep {@link #safe(Throwable)} follows causes and suppressed exceptions. */
  private static final int MAX_NESTING = 20;

  private LogText() {}

  /** {@code s} escaped and cut to {@code max} characters, with a note of how many were cut. */
  static String of(String s, int max) {
    if (s == null) {
      return "null";
    }
    int end = s.length() <= max ? s.length()
        : Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    StringBuilder out = null;
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      if (needsEscape(c)) {
        if (out == null) {
          out = new StringBuilder(end + 16).append(s, 0, i);
        }
        switch (c) {
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          default -> out.append(String.format("\\u%04x", (int) c));
        }
      } else if (out != null) {
        out.append(c);
      }
    }
    String escaped = out != null ? out.toString() : end == s.length() ? s : s.substring(0, end);
    return end == s.length() ? escaped : escaped + "… (" + (s.length() - end) + " more chars)";
  }

  /** An object or method name for a log line. */
  static String name(String name) {
    return of(name, MAX_NAME);
  }

  /**
   * {@code thrown} itself when neither its message nor those of its causes and suppressed
   * exceptions need escaping (nearly always); else a copy with escaped messages and the same
   * frames, so that its traceback in the log cannot forge lines either.
   */
  static Throwable safe(Throwable thrown) {
    if (thrown == null || isSafe(thrown, Collections.newSetFromMap(new IdentityHashMap<>()), 0)) {
      return thrown;
    }
    return new Escaped(thrown, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
  }

  private static boolean isSafe(Throwable t, Set<Throwable> seen, int depth) {
    if (!seen.add(t) || depth > MAX_NESTING) {
      return true;
    }
    if (!isSafe(messageOf(t))) {
      return false;
    }
    if (t.getCause() != null && !isSafe(t.getCause(), seen, depth + 1)) {
      return false;
    }
    for (Throwable s : t.getSuppressed()) {
      if (!isSafe(s, seen, depth + 1)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isSafe(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (needsEscape(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean needsEscape(char c) {
    return Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
        || Character.getType(c) == Character.FORMAT;
  }

  /** The text a traceback shows for {@code t}: its class and message; never throws. */
  private static String messageOf(Throwable t) {
    try {
      String text = t.toString();
      return text == null ? t.getClass().getName() : text;
    } catch (RuntimeException e) {
      return t.getClass().getName();
    }
  }

  /**
   * A stand-in for an exception whose message needs escaping: prints as the original's class
   * and escaped message, with the original's frames, causes and suppressed exceptions.
   */
  private static final class Escaped extends Throwable {
    private static final long serialVersionUID = 1L;

    Escaped(Throwable original, Set<Throwable> seen, int depth) {
      super(of(messageOf(original), MAX_MESSAGE));
      seen.add(original);
      setStackTrace(original.getStackTrace());
      Throwable cause = original.getCause();
      if (cause != null && depth < MAX_NESTING && !seen.contains(cause)) {
        initCause(new Escaped(cause, seen, depth + 1));
      }
      for (Throwable s : original.getSuppressed()) {
        if (depth < MAX_NESTING && !seen.contains(s)) {
          addSuppressed(new Escaped(s, seen, depth + 1));
        }
      }
    }

    /** The original's class and message, as its own traceback would begin. */
    @Override
    public String toString() {
      return getMessage();
    }
  }
}
