package io.ipc4j.cli;

/** The exit codes of {@code ipc}, stable so that scripts can rely on them. */
final class ExitCodes {
  /** The command did what it was asked; for {@code health}, the server is serving. */
  static final int OK = 0;
  /** The remote method threw; its traceback is on stderr. */
  static final int REMOTE_EXCEPTION = 1;
  /**
   * Bad command line, option value, settings file, TLS file or class to expose; or {@code serve}
   * asked to bind a host that is not loopback without a token, mutual TLS or {@code --insecure}.
   */
  static final int USAGE = 2;
  /** The server cannot be reached, or (for {@code health}) does not serve the object. */
  static final int UNAVAILABLE = 3;
  /** Any other failure: the call was refused or timed out, or the server could not start. */
  static final int FAILED = 4;

  /** The heading of the exit code list in each command's help. */
  static final String HEADING = "%nExit codes:%n";
  static final String USAGE_LINE =
      "2:usage error: bad option or argument, bad settings file or TLS file";
  static final String UNAVAILABLE_LINE = "3:the server cannot be reached";
  static final String FAILED_LINE =
      "4:the call failed otherwise: no such object or method, bad arguments, refused token, "
          + "deadline exceeded";

  private ExitCodes() {}
}
