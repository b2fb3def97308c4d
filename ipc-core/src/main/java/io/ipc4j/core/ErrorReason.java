package io.ipc4j.core;

import io.grpc.Status;

/**
 * The {@code google.rpc.ErrorInfo} reasons of ipc4j (domain {@value #DOMAIN}) and the status code
 * each is sent with.
 */
public enum ErrorReason {
  /** No object by the requested name. */
  NO_SUCH_OBJECT(Status.Code.NOT_FOUND),
  /** No exposed method by that name and arity. */
  NO_SUCH_METHOD(Status.Code.UNIMPLEMENTED),
  /** Arguments that do not fit, are malformed, or leave the overload ambiguous. */
  BAD_ARGUMENTS(Status.Code.INVALID_ARGUMENT),
  /** A payload in a serializer the server does not accept. */
  SERIALIZER_NOT_ACCEPTED(Status.Code.FAILED_PRECONDITION),
  /** A result the serializer cannot encode. */
  RESULT_NOT_SERIALIZABLE(Status.Code.INTERNAL),
  /** The method threw. */
  REMOTE_EXCEPTION(Status.Code.UNKNOWN);

  /** The ErrorInfo domain of every ipc4j error. */
  public static final String DOMAIN = "ipc4j";

  private final Status.Code code;

  ErrorReason(Status.Code code) {
    this.code = code;
  }

  /** The gRPC status code this reason is sent with. */
  public Status.Code code() {
    return code;
  }

  /** The reason called {@code name}, or null for a reason this version does not know. */
  public static ErrorReason of(String name) {
    for (ErrorReason reason : values()) {
      if (reason.name().equals(name)) {
        return reason;
      }
    }
    return null;
  }
}
