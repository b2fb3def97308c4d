package io.ipc4j.client;

import io.grpc.Status;
import io.ipc4j.core.ErrorReason;

/**
 * The arguments do not fit the method, are malformed, or leave the overload ambiguous
 * (INVALID_ARGUMENT, BAD_ARGUMENTS).
 */
public final class IpcBadArgumentsException extends IpcException {
  private static final long serialVersionUID = 1L;

  /** A failure with the call's status code and ipc4j reason. */
  public IpcBadArgumentsException(
      String message, Status.Code code, ErrorReason reason, Throwable cause) {
    super(message, code, reason, cause);
  }
}
