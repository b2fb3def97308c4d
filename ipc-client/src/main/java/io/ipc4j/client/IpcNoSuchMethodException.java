package io.ipc4j.client;

import io.grpc.Status;
import io.ipc4j.core.ErrorReason;

/** The object has no exposed method by that name and arity (UNIMPLEMENTED, NO_SUCH_METHOD). */
public final class IpcNoSuchMethodException extends IpcException {
  private static final long serialVersionUID = 1L;

  /** A failure with the call's status code and ipc4j reason. */
  public IpcNoSuchMethodException(
      String message, Status.Code code, ErrorReason reason, Throwable cause) {
    super(message, code, reason, cause);
  }
}
