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

  /**
   * How many frames at the bottom of {@code thrown}'s stack lie below the user's code: the frames
   * of {@code here} (the stack of the method that caught it, taken in its catch block, top frame
   * first) and the reflection frames just above them, or frames of {@code dispatch} classes. 0
   * when the stacks do not line up, as for an exception created on another thread.
   */
  public static int framesBelow(Throwable thrown, StackTraceElement[] here,
      java.util.function.Predicate<String> dispatch) {
    StackTraceElement[] stack = thrown.getStackTrace();
    int start = stack.length - here.length;
    if (here.length == 0 || start < 0
        || !stack[start].getClassName().equals(here[0].getClassName())
        || !stack[start].getMethodName().equals(here[0].getMethodName())) {
      return 0;
    }
    for (int i = 1; i < here.length; i++) {
      if (!stack[start + i].equals(here[i])) {
        return 0;
      }
    }
    int top = start;
    while (top > 0 && (isReflection(stack[top - 1].getClassName())
        || dispatch.test(stack[top - 1].getClassName()))) {
      top--;
    }
    return stack.length - top;
  }

  /** Whether a frame of {@code className} only carries a call into the user's code. */
  private static boolean isReflection(String className) {
    return className.startsWith("jdk.internal.reflect.")
        || className.startsWith("java.lang.reflect.")
        || className.startsWith("java.lang.invoke.");
  }
}
