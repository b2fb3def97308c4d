package io.ipc4j.client;

import io.grpc.Status;
import io.ipc4j.core.ErrorReason;

/** The server wants credentials the call did not carry, or they were wrong (UNAUTHENTICATED). */
public final class IpcUnauthenticatedException extends IpcException {
  private static final long serialVersionUID = 1L;

  /** A failure with the call's status code and ipc4j reason. */
  public IpcUnauthenticatedException(
      String message, Status.Code code, ErrorReason reason, Throwable cause) {
    super(message, code, reason, cause);
  }
}
