package io.ipc4j.client;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ipc4j.core.RemoteReference;
import io.ipc4j.core.internal.PeerLink;
import io.ipc4j.core.internal.RemoteTypes;
import io.ipc4j.core.internal.SerializationException;
import io.ipc4j.core.internal.Serializer;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.Payload;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Behind every proxy of a reference, on either end: each method of the {@code @Remote} interface
 * is a call through the session that carried the reference ({@link PeerLink}), with the same
 * semantics as a proxy's calls: blocking, asynchronous ({@code CompletableFuture}) or oneway, the
 * same exceptions, declared exceptions rebuilt. {@code equals} is identity (each end keeps one
 * proxy per reference), {@link RemoteReference} and, for an {@code AutoCloseable} interface,
 * {@code close()} release it.
 */
final class ReferenceHandler implements InvocationHandler {
  private static final Object[] NO_ARGS = new Object[0];

  private final Class<?> iface;
  private final String id;
  private final PeerLink link;
  private final Serializer serializer;
  private final Duration deadline;
  private final Map<Method, ProxyMethod> methods;
  /** Completes, with why, when the reference ends. */
  private final CompletableFuture<String> ended = new CompletableFuture<>();
  /** Whether it ended because the session did (not released): calls fail as unavailable. */
  private volatile boolean sessionEnded;

  ReferenceHandler(Class<?> iface, String id, PeerLink link, Serializer serializer,
      Duration deadline, Map<Method, ProxyMethod> methods) {
    this.iface = iface;
    this.id = id;
    this.link = link;
    this.serializer = serializer;
    this.deadline = deadline;
    this.methods = methods;
  }

  /** The reference id this proxy calls. */
  String id() {
    return id;
  }

  /** The session this proxy calls through. */
  PeerLink link() {
    return link;
  }

  /** Ends the reference with {@code why}; calls made later fail. */
  void end(String why, boolean sessionEnded) {
    this.sessionEnded = sessionEnded;
    ended.complete(why);
  }

  private void release() {
    if (ended.complete("it was released")) {
      link.release(id);
    }
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    Class<?> declaring = method.getDeclaringClass();
    if (declaring == Object.class) {
      return switch (method.getName()) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        case "toString" -> toString();
        default -> throw new UnsupportedOperationException(method.toString());
      };
    }
    if (declaring == RemoteReference.class) {
      if (method.getName().equals("release")) {
        release();
        return null;
      }
      return ended.thenApply(why -> why); // a stage of its own: callers cannot complete ours
    }
    if (method.getName().equals("close") && method.getParameterCount() == 0
        && AutoCloseable.class.isAssignableFrom(iface)) {
      release();
      return null;
    }
    if (method.isDefault()) {
      return InvocationHandler.invokeDefault(proxy, method, args);
    }
    ProxyMethod remote = methods.get(method);
    Object[] arguments = args == null ? NO_ARGS : args;
    String call = iface.getSimpleName() + "." + method.getName() + " via a reference at "
        + link.peer();
    if (ended.isDone()) {
      IpcException failure = endedFailure(call);
      if (remote.kind == ProxyMethod.Kind.ASYNC) {
        return CompletableFuture.failedFuture(failure);
      }
      throw failure;
    }
    InvokeRequest request = request(remote, arguments, call);
    switch (remote.kind) {
      case ONEWAY:
        try {
          link.callOneway(id, request);
        } catch (StatusRuntimeException e) {
          throw Failures.of(e, call);
        }
        return null;
      case ASYNC:
        return async(remote, request, call);
      case BLOCKING:
        return blocking(remote, request, call);
      default:
        throw new IpcException(method.getName() + " of " + iface.getName() + " returns items"
            + " to stream, which a reference cannot (" + call + ")", Status.Code.UNIMPLEMENTED,
            null, null);
    }
  }

  private IpcException endedFailure(String call) {
    String message = "the reference to " + iface.getName() + " ended: " + ended.getNow("")
        + " (" + call + ")";
    return sessionEnded
        ? new IpcUnavailableException(message, Status.Code.UNAVAILABLE, null, null)
        : new IpcException(message, Status.Code.FAILED_PRECONDITION, null, null);
  }

  private InvokeRequest request(ProxyMethod remote, Object[] args, String call) {
    for (int i = 0; i < args.length; i++) {
      if (remote.remoteParameters[i] != null) {
        throw new IpcBadArgumentsException("argument " + (i + 1) + " is a @Remote "
            + remote.remoteParameters[i].getName()
            + ", which a reference's method cannot pass on (" + call + ")",
            Status.Code.INVALID_ARGUMENT, null, null);
      }
    }
    try {
      return InvokeRequest.newBuilder()
          .setMethod(remote.name)
          .addAllParameterTypes(remote.parameterTypes)
          .setPayload(Payload.newBuilder().setSerializer(serializer.name())
              .setData(UnsafeByteOperations.unsafeWrap(serializer.writeArguments(args))))
          .build();
    } catch (SerializationException e) {
      throw new IpcBadArgumentsException(e.getMessage() + " (" + call + ")",
          Status.Code.INVALID_ARGUMENT, null, e);
    }
  }

  /**
   * How long a call may take: the handler's deadline, or less when the thread runs a server call
   * with a nearer deadline (a callback made by a method cannot outlive the method's caller).
   */
  private long timeoutNanos() {
    long nanos = deadline.toNanos();
    Deadline current = io.grpc.Context.current().getDeadline();
    return current == null ? nanos
        : Math.max(1, Math.min(nanos, current.timeRemaining(TimeUnit.NANOSECONDS)));
  }

  private Object blocking(ProxyMethod remote, InvokeRequest request, String call)
      throws Throwable {
    long nanos = timeoutNanos();
    try {
      return read(SessionAnswers.await(link.call(id, request, nanos), nanos, call,
          failure -> failure(failure, call)), remote, call);
    } catch (IpcException e) {
      throw remote.translate(e);
    }
  }

  private CompletableFuture<Object> async(ProxyMethod remote, InvokeRequest request,
      String call) {
    long nanos = timeoutNanos();
    return SessionAnswers.whenAnswered(link.call(id, request, nanos), nanos, call,
        response -> read(response, remote, call), failure -> failure(failure, call),
        remote::translate);
  }

  /** The exception for a call that failed with {@code failure}. */
  private IpcException failure(Throwable failure, String call) {
    if (failure instanceof StatusRuntimeException e) {
      if (ended.isDone() && e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
        return endedFailure(call);
      }
      return Failures.of(e, call);
    }
    if (failure instanceof IpcException e) {
      return e;
    }
    return new IpcException(failure + " (" + call + ")", Status.Code.UNKNOWN, null, failure);
  }

  private Object read(InvokeResponse response, ProxyMethod remote, String call) {
    if (remote.resultType == void.class || remote.resultType == Void.class) {
      return null;
    }
    if (remote.remoteResult != null) {
      throw new IpcException(remote.name + " returns a @Remote " + remote.remoteResult.getName()
          + ", which a reference's method cannot return (" + call + ")",
          Status.Code.UNIMPLEMENTED, null, null);
    }
    if (!response.hasPayload()) {
      throw new IpcException("the other end answered without a value (" + call + ")",
          Status.Code.INTERNAL, null, null);
    }
    try {
      return serializer.readValue(response.getPayload().getData(), remote.resultType);
    } catch (SerializationException | IllegalArgumentException e) {
      throw new IpcException("cannot read the result as " + remote.resultType.getTypeName()
          + ": " + e.getMessage() + " (" + call + ")", Status.Code.INTERNAL, null, e);
    }
  }

  @Override
  public String toString() {
    return "IpcReference[" + iface.getName() + " " + RemoteTypes.shortId(id) + " at "
        + link.peer() + (ended.isDone() ? ", ended: " + ended.getNow("") : "") + "]";
  }
}
