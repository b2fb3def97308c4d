package io.ipc4j.client;

import io.grpc.Status;
import io.ipc4j.core.ErrorReason;

/** The call did not finish within its deadline (gRPC DEADLINE_EXCEEDED). */
public final class IpcDeadlineExceededException extends IpcException {
  private static final long serialVersionUID = 1L;

  /** A failure with the call's status code and ipc4j reason. */
  public IpcDeadlineExceededException(
      String message, Status.Code code, ErrorReason reason, Throwable cause) {
    super(message, code, reason, cause);
  }
}
