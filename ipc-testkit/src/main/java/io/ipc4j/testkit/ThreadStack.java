package io.ipc4j.testkit;

/** Where a leaked thread was when teardown gave up on it: its stack, as a suppressed error. */
final class ThreadStack extends Throwable {
  private static final long serialVersionUID = 1L;

  ThreadStack(Thread thread) {
    super("stack of thread " + thread.getName(), null, false, true);
    setStackTrace(thread.getStackTrace());
  }

  /**
   * Where {@code thread} is in code of its own: its first frame outside the JDK, grpc, protobuf
   * and ipc4j's server, as {@code " at a.B.c(B.java:12)"}; empty when it is only in theirs (an
   * idle thread).
   */
  static String where(Thread thread) {
    for (StackTraceElement e : thread.getStackTrace()) {
      String c = e.getClassName();
      if (!(c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.")
          || c.startsWith("io.grpc.") || c.startsWith("com.google.")
          || c.startsWith("io.ipc4j.server.") || c.startsWith("io.ipc4j.core.")
          || c.startsWith(CallTracker.class.getName()))) {
        String file = e.isNativeMethod() ? "Native Method"
            : e.getFileName() == null ? "Unknown Source"
            : e.getLineNumber() >= 0 ? e.getFileName() + ":" + e.getLineNumber()
            : e.getFileName();
        return " at " + c + "." + e.getMethodName() + "(" + file + ")";
      }
    }
    return "";
  }

  /** Whether {@code thread} waits in its pool for work: idle, not stuck in a call. */
  static boolean idleInPool(Thread thread) {
    for (StackTraceElement e : thread.getStackTrace()) {
      if (e.getClassName().equals("java.util.concurrent.ThreadPoolExecutor")
          && e.getMethodName().equals("getTask")) {
        return true;
      }
    }
    return false;
  }
}
