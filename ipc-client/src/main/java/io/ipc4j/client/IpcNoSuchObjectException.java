package io.ipc4j.client;

import io.grpc.Status;
import io.ipc4j.core.ErrorReason;

/** The server exposes no object by that name (NOT_FOUND, NO_SUCH_OBJECT). */
public final class IpcNoSuchObjectException extends IpcException {
  private static final long serialVersionUID = 1L;

  /** A failure with the call's status code and ipc4j reason. */
  public IpcNoSuchObjectException(
      String message, Status.Code code, ErrorReason reason, Throwable cause) {
    super(message, code, reason, cause);
  }
}
