package io.ipc4j.server;

import io.ipc4j.core.internal.ErrorReason;

/** A call that fails with one of ipc4j's reasons; turned into a status by {@link InvokeService}. */
final class CallException extends Exception {
  private static final long serialVersionUID = 1L;

  final ErrorReason reason;
  /** What the method threw, for REMOTE_EXCEPTION; null otherwise. */
  final transient Throwable thrown;

  CallException(ErrorReason reason, String message) {
    this(reason, message, null);
  }

  CallException(ErrorReason reason, String message, Throwable thrown) {
    super(message, null, false, false);
    this.reason = reason;
    this.thrown = thrown;
  }
}
