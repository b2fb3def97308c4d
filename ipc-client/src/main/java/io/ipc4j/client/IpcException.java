package io.ipc4j.client;

import io.grpc.Status;

/**
 * A remote call failed. Subclasses say how: unavailable, deadline exceeded, no such object or
 * method, bad arguments, unauthenticated, or {@link IpcRemoteException} for an exception the
 * remote method threw. Unchecked, so that proxies of plain interfaces need no {@code throws}.
 */
public class IpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Status.Code code;
  private final String reason;

  /** A failure with the call's gRPC status code and ipc4j reason (empty when there is none). */
  public IpcException(String message, Status.Code code, String reason, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.reason = reason == null ? "" : reason;
  }

  /** A failure whose cause is still to be set with {@link #initCause}. */
  IpcException(String message, Status.Code code, String reason) {
    super(message);
    this.code = code;
    this.reason = reason == null ? "" : reason;
  }

  /** The gRPC status code of the failed call. */
  public Status.Code getStatusCode() {
    return code;
  }

  /**
   * The {@code google.rpc.ErrorInfo} reason the server gave, such as {@code NO_SUCH_METHOD} or
   * {@code RESULT_NOT_SERIALIZABLE}; empty when it gave none.
   */
  public String getReason() {
    return reason;
  }
}
