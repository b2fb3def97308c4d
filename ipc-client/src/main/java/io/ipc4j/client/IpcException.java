package io.ipc4j.client;

import io.grpc.Status;
import io.ipc4j.core.ErrorReason;

/**
 * A remote call failed. Subclasses say how: unavailable, deadline exceeded, no such object or
 * method, bad arguments, unauthenticated, or {@link IpcRemoteException} for an exception the
 * remote method threw. Unchecked, so that proxies of plain interfaces need no {@code throws}.
 */
public class IpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Status.Code code;
  private final ErrorReason reason;

  /** A failure with the call's gRPC status code and ipc4j reason (null when there is none). */
  public IpcException(String message, Status.Code code, ErrorReason reason, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.reason = reason;
  }

  /** A failure whose cause is still to be set with {@link #initCause}. */
  IpcException(String message, Status.Code code, ErrorReason reason) {
    super(message);
    this.code = code;
    this.reason = reason;
  }

  /** The gRPC status code of the failed call. */
  public Status.Code getStatusCode() {
    return code;
  }

  /**
   * Why the call failed, in ipc4j's wire vocabulary (the {@code google.rpc.ErrorInfo} reason the
   * server gave), such as {@link ErrorReason#NO_SUCH_METHOD} or {@link
   * ErrorReason#RESULT_NOT_SERIALIZABLE}: a value to branch on. Null when the server gave none
   * (unavailable, deadline exceeded, unauthenticated, cancelled: the subclass and {@link
   * #getStatusCode()} say which) or one this version does not know.
   */
  public ErrorReason getReason() {
    return reason;
  }
}
