package io.ipc4j.client;

import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.ipc4j.core.ErrorReason;
import io.ipc4j.core.internal.RemoteErrors;
import io.ipc4j.core.internal.Throwables;
import io.ipc4j.proto.v1.RemoteError;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns a failed call's status into the {@link IpcException} that says what went wrong. */
final class Failures {
  /** The last remote traceback seen on each thread, for {@link IpcClient#getTraceback()}. */
  static final ThreadLocal<String> lastTraceback = new ThreadLocal<>();
  /** The longest root cause message added to an UNAVAILABLE failure. */
  static final int MAX_ROOT_CHARS = 200;
  /** Netty's prefix naming the native call that failed: {@code connect(..) failed: }, … */
  private static final Pattern NATIVE_CALL =
      Pattern.compile("^\\w+\\(\\.\\.\\) failed(?: with error\\(-?[0-9]+\\))?: ");

  private Failures() {}

  /**
   * The exception for {@code e}; {@code call} names the call, as in {@code kodi-IPC.get at
   * localhost:9099}.
   */
  static IpcException of(StatusRuntimeException e, String call) {
    Status status = e.getStatus();
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    ErrorInfo info = details == null ? null : RemoteErrors.errorInfo(details);
    String reasonName = info != null && ErrorReason.DOMAIN.equals(info.getDomain())
        ? info.getReason() : "";
    ErrorReason reason = ErrorReason.of(reasonName);
    if (reason == ErrorReason.REMOTE_EXCEPTION) {
      RemoteError error = RemoteErrors.remoteError(details);
      if (error != null) {
        IpcRemoteException remote =
            IpcRemoteException.of(call + " threw", error, RemoteErrors.debugDetail(details));
        lastTraceback.set(remote.getRemoteTraceback());
        return remote;
      }
    }
    String description = status.getDescription() != null ? status.getDescription()
        : status.getCode().toString();
    Status.Code code = status.getCode();
    if (code == Status.Code.UNAVAILABLE) {
      String root = rootMessage(e);
      if (root != null && !description.contains(root)) {
        description = description + ": " + root;
      }
    }
    String message = description + " (" + call + ")";
    switch (code) {
      case UNAVAILABLE:
        return new IpcUnavailableException(message, code, reason, e);
      case DEADLINE_EXCEEDED:
        return new IpcDeadlineExceededException(message, code, reason, e);
      case NOT_FOUND:
        return reason == ErrorReason.NO_SUCH_OBJECT
            ? new IpcNoSuchObjectException(message, code, reason, e)
            : new IpcException(message, code, reason, e);
      case UNIMPLEMENTED:
        return reasonName.isEmpty()
            ? new IpcException("the server does not implement ipc.v1.InvokeService ("
                + call + "): " + description, code, reason, e)
            : new IpcNoSuchMethodException(message, code, reason, e);
      case INVALID_ARGUMENT:
        return new IpcBadArgumentsException(message, code, reason, e);
      case UNAUTHENTICATED:
        return new IpcUnauthenticatedException(message, code, reason, e);
      default:
        return new IpcException(message, code, reason, e);
    }
  }

  /**
   * The message of the innermost cause of {@code e} that has one, such as {@code Connection
   * refused} or {@code PKIX path building failed: …}, without the native call Netty puts in front
   * of it and cut to {@value #MAX_ROOT_CHARS} characters; null when no cause has a message.
   */
  static String rootMessage(Throwable e) {
    String message = null;
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = e.getCause(); t != null && seen.add(t); t = t.getCause()) {
      String m = Throwables.messageOf(t);
      if (!m.isBlank()) {
        message = m;
      }
    }
    if (message == null) {
      return null;
    }
    message = NATIVE_CALL.matcher(message).replaceFirst("").strip();
    return message.isEmpty() ? null : RemoteErrors.truncate(message, MAX_ROOT_CHARS);
  }

}
