package io.ipc4j.client;

import io.grpc.Status;
import io.ipc4j.core.ErrorReason;

/** The server could not be reached, or it is stopping (gRPC UNAVAILABLE). Often worth a retry. */
public final class IpcUnavailableException extends IpcException {
  private static final long serialVersionUID = 1L;

  /** A failure with the call's status code and ipc4j reason. */
  public IpcUnavailableException(String message, Status.Code code, ErrorReason reason, Throwable cause) {
    super(message, code, reason, cause);
  }
}
