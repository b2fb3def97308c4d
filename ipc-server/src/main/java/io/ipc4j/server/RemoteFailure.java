package io.ipc4j.server;

import io.ipc4j.core.ErrorReason;
import io.ipc4j.core.internal.Throwables;

/**
 * What the user's code threw, shaped for the client: a REMOTE_EXCEPTION naming object, method and
 * exception, and how many frames at the bottom of its stack are ipc4j's dispatch (the same on
 * every call), which the traceback counts but does not send.
 */
final class RemoteFailure {
  private RemoteFailure() {}

  /**
   * A failure of the user's code: what {@code call}'s method (or its stream) threw, with the
   * bottom {@code framesToDrop} frames left out of the traceback.
   */
  static CallException of(ExposedObject object, ExposedObject.Call call, Throwable t,
      int framesToDrop) {
    String message = Throwables.messageOf(t);
    return new CallException(ErrorReason.REMOTE_EXCEPTION,
        object.name + "." + call.method().name() + " threw " + t.getClass().getName()
            + (message.isEmpty() ? "" : ": " + message),
        t, framesToDrop);
  }

  /**
   * How many frames at the bottom of {@code thrown}'s stack lie below the user's code: the frames
   * of {@code here} (the stack of the method that caught it, taken in its catch block, top frame
   * first) and the reflection frames just above them. 0 when the stacks do not line up, as for an
   * exception created on another thread.
   */
  static int framesBelow(Throwable thrown, StackTraceElement[] here) {
    return Throwables.framesBelow(thrown, here, ItemSource.class.getName()::equals);
  }
}
