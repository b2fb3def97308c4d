package io.ipc4j.cli;

import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcDeadlineExceededException;
import io.ipc4j.client.IpcException;
import io.ipc4j.client.IpcRemoteException;
import io.ipc4j.client.IpcUnavailableException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/** Reports a failed call on stderr and chooses the exit code that says how it failed. */
final class CallFailures {
  /** Netty's native-call prefix: {@code finishConnect(..) failed with error(-111): }. */
  private static final Pattern NATIVE_CALL =
      Pattern.compile("^\\w+\\(\\.\\.\\) failed(?: with error\\(-?[0-9]+\\))?: ");

  private CallFailures() {}

  /**
   * Prints {@code e}: a remote exception as its remote traceback, any other failure as one line.
   *
   * @return {@link ExitCodes#REMOTE_EXCEPTION}, {@link ExitCodes#UNAVAILABLE} or {@link
   *     ExitCodes#FAILED}
   */
  static int report(IpcException e, IpcClient client, String method, Duration deadline,
      PrintWriter err) {
    if (e instanceof IpcRemoteException remote) {
      String traceback = remote.getRemoteTraceback();
      err.print(traceback);
      if (!traceback.endsWith("\n")) {
        err.println();
      }
      err.flush();
      return ExitCodes.REMOTE_EXCEPTION;
    }
    if (e instanceof IpcUnavailableException) {
      err.println(unreachable(client, e));
      err.flush();
      return ExitCodes.UNAVAILABLE;
    }
    if (e instanceof IpcDeadlineExceededException) {
      err.println("ipc: " + client.name() + "." + method + " at " + client.target()
          + " did not answer within the deadline of " + text(deadline));
    } else {
      // As the server said it (a missing method's message names the closest ones), then the call.
      err.println("ipc: " + e.getMessage());
    }
    err.flush();
    return ExitCodes.FAILED;
  }

  /**
   * The line that says {@code client} cannot reach its server, and why: the innermost reason, or
   * for a Unix socket that is not there, that.
   */
  static String unreachable(IpcClient client, Throwable e) {
    String target = client.target();
    String why = rootMessage(e);
    if (target.regionMatches(true, 0, "unix:", 0, 5)) {
      String path = target.substring(5).replaceFirst("^//(?=/)", "");
      if (!path.isEmpty() && !Files.exists(Path.of(path))) {
        why = "no socket file " + path;
      }
    }
    return "ipc: cannot reach " + client.name() + " at " + target + ": " + why;
  }

  /** {@code d} as the {@code --deadline} option takes it: {@code 500ms}, {@code 30s}. */
  static String text(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  /**
   * The message of the innermost cause that has one, which names what went wrong (such as {@code
   * Connection refused}), without the native call that Netty puts in front of it.
   */
  static String rootMessage(Throwable e) {
    String message = String.valueOf(e.getMessage());
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    return NATIVE_CALL.matcher(message).replaceFirst("");
  }
}
