package io.ipc4j.server;

import io.ipc4j.core.ErrorReason;

/** A call that fails with one of ipc4j's reasons; turned into a status by {@link InvokeService}. */
final class CallException extends Exception {
  private static final long serialVersionUID = 1L;

  final ErrorReason reason;
  /** What the method threw, for REMOTE_EXCEPTION; null otherwise. */
  final transient Throwable thrown;
  /**
   * How many frames at the bottom of {@link #thrown}'s stack lie below the user's code (the
   * reflection and dispatch frames that called it); they are left out of the traceback.
   */
  final int framesToDrop;

  /** The status code to send instead of the reason's own, or null. */
  final io.grpc.Status.Code code;

  CallException(ErrorReason reason, String message) {
    this(reason, message, null, 0);
  }

  /** A failure of {@code reason} sent with {@code code}, such as a bound reached. */
  CallException(ErrorReason reason, io.grpc.Status.Code code, String message) {
    super(message, null, false, false);
    this.reason = reason;
    this.code = code;
    this.thrown = null;
    this.framesToDrop = 0;
  }

  CallException(ErrorReason reason, String message, Throwable thrown) {
    this(reason, message, thrown, 0);
  }

  CallException(ErrorReason reason, String message, Throwable thrown, int framesToDrop) {
    super(message, null, false, false);
    this.reason = reason;
    this.code = null;
    this.thrown = thrown;
    this.framesToDrop = framesToDrop;
  }
}
