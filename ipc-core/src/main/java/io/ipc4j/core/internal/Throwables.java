package io.ipc4j.core.internal;

/** What can safely be read of an exception that may come from anyone's code. */
public final class Throwables {
  private Throwables() {}

  /**
   * {@code t}'s message: empty when it has none, or a note naming what {@code getMessage()} threw
   * when it fails itself (a hostile or broken exception class must not break error reporting).
   */
  public static String messageOf(Throwable t) {
    try {
      String message = t.getMessage();
      return message == null ? "" : message;
    } catch (Throwable e) { // also an Error: whatever getMessage() does, the report goes on
      return "(getMessage() threw " + e.getClass().getName() + ")";
    }
  }
}
