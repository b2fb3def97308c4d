package io.ipc4j.server;

import java.util.List;

/**
 * What ipc4j's own modules (the test kit) may ask of a server and users may not: internal, it may
 * change in any release. The test kit uses it to name the thread of a call that a test left
 * running, rather than guessing it from thread names and stack frames.
 */
public final class InternalServer {
  private InternalServer() {}

  /**
   * The threads of {@code server} running the exposed method {@code call} ({@code object.method})
   * now: a call waiting for a thread, or a streamed call pulling its items, has none.
   */
  public static List<Thread> threadsRunning(IpcServer server, String call) {
    return server.threadsRunning(call);
  }

  /**
   * The references the sessions of {@code server} hold now, each as its interface and whose
   * object it is: {@code Counter (returned to client /127.0.0.1:5123)}, {@code Listener (passed
   * by client …)}. The test kit reports those left alive at the end of a test.
   */
  public static List<String> references(IpcServer server) {
    return server.references();
  }
}
