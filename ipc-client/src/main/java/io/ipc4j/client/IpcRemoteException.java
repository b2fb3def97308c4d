package io.ipc4j.client;

import io.grpc.Status;
import io.ipc4j.core.ErrorReason;
import io.ipc4j.core.internal.RemoteErrors;
import io.ipc4j.proto.v1.RemoteError;
import io.ipc4j.proto.v1.StackFrame;
import java.util.List;

/**
 * The remote method threw. Carries what the server sent: the remote exception's class name,
 * message, stack and causes (as further {@code IpcRemoteException}s), and the whole traceback as
 * text. No class named by the server is ever loaded to build it.
 */
public final class IpcRemoteException extends IpcException {
  private static final long serialVersionUID = 1L;

  private final String remoteClassName;
  private final String remoteMessage;
  private final String remoteTraceback;
  private final transient List<StackTraceElement> remoteStack;

  private IpcRemoteException(String message, String remoteClassName, String remoteMessage,
      String remoteTraceback, List<StackTraceElement> remoteStack, Status.Code code) {
    // No cause yet: link() sets the remote cause, which initCause refuses after a null one.
    super(message, code, ErrorReason.REMOTE_EXCEPTION);
    this.remoteClassName = remoteClassName;
    this.remoteMessage = remoteMessage;
    this.remoteTraceback = remoteTraceback;
    this.remoteStack = remoteStack;
  }

  /**
   * An exception rebuilt from {@code error}; {@code traceback} is the server's text, or null to
   * render it from {@code error}. Its own stack trace stays the caller's, so it shows where the
   * call was made; causes carry the remote frames.
   */
  static IpcRemoteException of(String context, RemoteError error, String traceback) {
    String text = traceback != null ? traceback : RemoteErrors.traceback(error);
    IpcRemoteException e = new IpcRemoteException(
        context + ": " + headline(error), error.getClassName(), error.getMessage(), text,
        frames(error), Status.Code.UNKNOWN);
    e.link(error);
    return e;
  }

  private static IpcRemoteException nested(RemoteError error) {
    IpcRemoteException e = new IpcRemoteException(headline(error), error.getClassName(),
        error.getMessage(), RemoteErrors.traceback(error), frames(error), Status.Code.UNKNOWN);
    e.setStackTrace(e.remoteStack.toArray(new StackTraceElement[0]));
    e.link(error);
    return e;
  }

  private void link(RemoteError error) {
    if (error.hasCause()) {
      initCause(nested(error.getCause()));
    }
    for (RemoteError s : error.getSuppressedList()) {
      addSuppressed(nested(s));
    }
  }

  private static String headline(RemoteError error) {
    return error.getMessage().isEmpty() ? error.getClassName()
        : error.getClassName() + ": " + error.getMessage();
  }

  private static List<StackTraceElement> frames(RemoteError error) {
    return error.getFramesList().stream().map(IpcRemoteException::element).toList();
  }

  private static StackTraceElement element(StackFrame f) {
    return new StackTraceElement(f.getClassName(), f.getMethodName(),
        f.getFileName().isEmpty() ? null : f.getFileName(), f.getLineNumber());
  }

  /** The class name of the exception the remote method threw, e.g. {@code java.io.IOException}. */
  public String getRemoteClassName() {
    return remoteClassName;
  }

  /** The remote exception's message; empty when it had none. */
  public String getRemoteMessage() {
    return remoteMessage;
  }

  /**
   * The remote exception's stack, top frame first, as far as the server sent it (it bounds long
   * stacks; the traceback says how many frames it left out). Empty when the server sends no
   * tracebacks.
   */
  public StackTraceElement[] getRemoteStackTrace() {
    return remoteStack == null ? new StackTraceElement[0]
        : remoteStack.toArray(new StackTraceElement[0]);
  }

  /** The remote traceback as {@link Throwable#printStackTrace()} would print it on the server. */
  public String getRemoteTraceback() {
    return remoteTraceback;
  }
}
