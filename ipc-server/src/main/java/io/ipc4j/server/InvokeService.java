package io.ipc4j.server;

import com.fasterxml.jackson.databind.JavaType;
import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.Value;
import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.ipc4j.core.Limits;
import io.ipc4j.core.internal.ErrorReason;
import io.ipc4j.core.internal.JacksonSerializer;
import io.ipc4j.core.internal.JsonValues;
import io.ipc4j.core.internal.RemoteErrors;
import io.ipc4j.core.internal.SerializationException;
import io.ipc4j.core.internal.Serializer;
import io.ipc4j.core.internal.Serializers;
import io.ipc4j.proto.v1.DescribeRequest;
import io.ipc4j.proto.v1.DescribeResponse;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.proto.v1.Payload;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The generic InvokeService: finds the object and method a request names and calls it.
 *
 * <p>{@code Invoke} answers with the method's result. While a method runs, the cancellation of
 * its call (the client cancelled, went away, or its deadline passed) interrupts the thread that
 * runs it; a method that returned a {@code CompletableFuture} has that future cancelled instead.
 * Oneway calls (the request header {@value #ONEWAY_HEADER_NAME}, or a method marked
 * {@link io.ipc4j.core.Oneway}) are never interrupted. Failed calls are logged by a {@link
 * FailureLog}.
 *
 * <p>{@code InvokeStream} sends the items of a method that returns a {@code Stream}, {@code
 * Iterator} or {@code Iterable} (or a collection) one response each, as the client reads them;
 * see {@link StreamCall}.
 */
final class InvokeService implements InvokeServiceGrpc.AsyncService, BindableService {
  private static final Logger logger = Logger.getLogger(InvokeService.class.getName());

  /** The request header by which a client says it does not wait for the call. */
  static final String ONEWAY_HEADER_NAME = "ipc-oneway";
  static final Metadata.Key<String> ONEWAY_HEADER =
      Metadata.Key.of(ONEWAY_HEADER_NAME, Metadata.ASCII_STRING_MARSHALLER);
  /** How long a stream may stay open by default (Pyro's ITER_STREAM_LIFETIME). */
  static final Duration DEFAULT_STREAM_LIFETIME = Duration.ofMinutes(10);

  private static final Context.Key<Boolean> ONEWAY = Context.key("ipc4j-oneway");
  /** The connection a call came on. */
  private static final Context.Key<Connection> CONNECTION = Context.key("ipc4j-connection");
  /** The largest request a {@link io.ipc4j.core.NonBlocking} method is run inline for. */
  static final int INLINE_MAX_BYTES = 16 * 1024;

  private final Map<String, ExposedObject> objects;
  private final String defaultObject;
  private final Serializers serializers;
  private final Limits limits;
  private final boolean sendTracebacks;
  private final Duration streamLifetime;
  /** The bounded pool that runs the exposed methods. */
  private final CallExecutor calls;
  /** The failed calls of this server, on this class's logger. */
  private final FailureLog failures = new FailureLog(logger);
  /** Oneway calls waiting or running, per connection and in total. */
  private final ConnectionBudget onewayCalls;
  /** How long a stream may wait for its reader. */
  private final Duration streamStallTimeout;

  /**
   * A service whose methods run on {@code calls}. grpc may call it on a transport thread, which
   * must never block: each call is handed to {@code calls} before anything of the user's runs.
   */
  InvokeService(Map<String, ExposedObject> objects, String defaultObject, Serializers serializers,
      Limits limits, boolean sendTracebacks, Duration streamLifetime, CallExecutor calls,
      ServerLimits serverLimits) {
    this.objects = objects;
    this.defaultObject = defaultObject;
    this.serializers = serializers;
    this.limits = limits;
    this.sendTracebacks = sendTracebacks;
    this.streamLifetime = Objects.requireNonNull(streamLifetime, "streamLifetime == null");
    this.calls = Objects.requireNonNull(calls, "calls == null");
    this.onewayCalls = new ConnectionBudget("oneway calls", "maxOnewayCalls",
        serverLimits.maxOnewayCallsPerConnection(), serverLimits.maxOnewayCalls(),
        c -> c.onewayCalls);
    this.streamStallTimeout = serverLimits.streamStallTimeout();
  }

  /** The service, with the oneway header read into the call's context. */
  @Override
  public ServerServiceDefinition bindService() {
    return ServerInterceptors.intercept(RequestParsing.bind(this, limits), new OnewayHeader());
  }

  @Override
  public void invoke(InvokeRequest request, StreamObserver<InvokeResponse> observer) {
    ServerCallStreamObserver<InvokeResponse> responses =
        (ServerCallStreamObserver<InvokeResponse>) observer;
    // Set now, while grpc allows it: cancels a future the method returns; and without a handler,
    // answering a cancelled call would throw.
    PendingResult pending = new PendingResult();
    responses.setOnCancelHandler(() -> cleanUp(pending::cancel));
    if (runsInline(request)) {
      invokeNow(request, responses, pending, true);
    } else if (!isOneway(request)) {
      hand(responses, request, () -> invokeNow(request, responses, pending, false));
    } else {
      handOneway(request, responses, pending);
    }
  }

  /**
   * Hands a oneway call to the pool within the oneway bounds: nobody waits for it and it runs
   * even when its client has gone, so a client may have only so many waiting or running.
   */
  private void handOneway(InvokeRequest request,
      ServerCallStreamObserver<InvokeResponse> responses, PendingResult pending) {
    Connection connection = CONNECTION.get();
    String refused = onewayCalls.acquire(connection);
    if (refused != null) {
      failures.refused("refused oneway calls", "refused oneway call " + LogText.name(
          objectName(request)) + "." + LogText.name(request.getMethod()) + " from "
          + connection + ": " + refused);
      responses.onError(Status.RESOURCE_EXHAUSTED.withDescription(refused).asRuntimeException());
      return;
    }
    boolean handed = hand(responses, request, () -> {
      try {
        invokeNow(request, responses, pending, false);
      } finally {
        onewayCalls.release(connection);
      }
    });
    if (!handed) {
      onewayCalls.release(connection);
    }
  }

  /** Whether the request says it is oneway, or names a method marked {@code @Oneway}. */
  private boolean isOneway(InvokeRequest request) {
    if (Boolean.TRUE.equals(ONEWAY.get())) {
      return true;
    }
    ExposedObject object = objects.get(objectName(request));
    ExposedMethod method = object == null ? null : object.only(request.getMethod());
    return method != null && method.oneway;
  }

  /**
   * Whether the call may run right here, on the transport thread: a {@link
   * io.ipc4j.core.NonBlocking} method, not overloaded, not streamed, on an object that needs no
   * lock, and a small request (its arguments are read here too).
   */
  private boolean runsInline(InvokeRequest request) {
    if (request.getSerializedSize() > INLINE_MAX_BYTES) {
      return false;
    }
    ExposedObject object = objects.get(objectName(request));
    if (object == null || object.lock != null) {
      return false;
    }
    ExposedMethod method = object.only(request.getMethod());
    return method != null && method.nonBlocking && !method.streaming;
  }

  /**
   * {@link #invoke} on a pool thread, or {@code inline} on the transport thread, which is never
   * interrupted.
   */
  private void invokeNow(InvokeRequest request,
      ServerCallStreamObserver<InvokeResponse> responses, PendingResult pending, boolean inline) {
    String objectName = objectName(request);
    boolean oneway = Boolean.TRUE.equals(ONEWAY.get());
    try {
      ExposedObject object = object(objectName);
      Serializer serializer = serializerOf(request);
      ExposedObject.Call call = call(objectName, object, request, serializer);
      oneway |= call.method().oneway;
      if (!oneway && Context.current().isCancelled()) {
        return; // the caller gave up while the call waited for a thread; nobody waits for it
      }
      Object result = run(object, call, !oneway && !inline);
      if (call.method().streaming) {
        send(responses, collect(object, call, result, request, serializer));
      } else if (result instanceof CompletionStage<?> stage) {
        boolean isOneway = oneway;
        pending.set(stage);
        stage.whenComplete((value, failure) -> {
          if (failure != null) {
            Throwable thrown = failure instanceof CompletionException
                || failure instanceof ExecutionException ? failure.getCause() : failure;
            fail(responses, objectName, request.getMethod(),
                remote(object, call, thrown == null ? failure : thrown, 0), isOneway);
          } else {
            answer(responses, objectName, request, serializer, call, value, isOneway);
          }
        });
      } else {
        answer(responses, objectName, request, serializer, call, result, oneway);
      }
    } catch (CallException e) {
      fail(responses, objectName, request.getMethod(), e, oneway);
    }
  }

  @Override
  public void invokeStream(InvokeRequest request, StreamObserver<InvokeResponse> observer) {
    ServerCallStreamObserver<InvokeResponse> responses =
        (ServerCallStreamObserver<InvokeResponse>) observer;
    // Cancellation is handled by StreamCall through the context; this only keeps onNext from
    // throwing on a cancelled call. grpc takes handlers only now: readiness goes to the stream
    // once it exists.
    responses.setOnCancelHandler(() -> {});
    AtomicReference<StreamCall> stream = new AtomicReference<>();
    responses.setOnReadyHandler(() -> {
      StreamCall started = stream.get();
      if (started != null) {
        offload(started::wake);
      }
    });
    hand(responses, request, () -> invokeStreamNow(request, responses, stream));
  }

  /** {@link #invokeStream} on a thread that may block. */
  private void invokeStreamNow(InvokeRequest request,
      ServerCallStreamObserver<InvokeResponse> responses, AtomicReference<StreamCall> stream) {
    String objectName = objectName(request);
    Context.CancellableContext context = null;
    try {
      ExposedObject object = object(objectName);
      Serializer serializer = serializerOf(request);
      ExposedObject.Call call = call(objectName, object, request, serializer);
      ExposedMethod method = call.method();
      if (method.itemType == null) {
        throw new CallException(ErrorReason.NO_SUCH_METHOD, objectName + "."
            + method.signature() + " returns " + method.method.getGenericReturnType().getTypeName()
            + ", which is not streamed; call it with Invoke");
      }
      context = StreamCall.lifetimeContext(streamLifetime);
      Object result;
      Context previous = context.attach();
      try {
        result = run(object, call, true);
      } finally {
        context.detach(previous);
      }
      ItemSource source = source(object, call, result);
      StreamCall started = new StreamCall(this, responses, context, source, object, call,
          request, serializer, streamLifetime, streamStallTimeout);
      stream.set(started);
      started.start();
    } catch (CallException e) {
      if (context != null) {
        context.cancel(null);
      }
      fail(responses, objectName, request.getMethod(), e, false);
    }
  }

  @Override
  public void describe(DescribeRequest request, StreamObserver<DescribeResponse> responses) {
    DescribeResponse.Builder d = DescribeResponse.newBuilder()
        .setDefaultObject(defaultObject)
        .addAllSerializers(serializers.names());
    if (request.getObject().isEmpty()) {
      objects.values().forEach(o -> d.addObjects(o.describe()));
    } else {
      ExposedObject object = objects.get(request.getObject());
      if (object == null) {
        fail(responses, request.getObject(), "", new CallException(ErrorReason.NO_SUCH_OBJECT,
            "no object '" + request.getObject() + "' on this server; it exposes "
                + String.join(", ", objects.keySet())), false);
        return;
      }
      d.addObjects(object.describe());
    }
    responses.onNext(d.build());
    responses.onCompleted();
  }

  /**
   * Runs {@code task} on the call pool with the call's context, and answers whether it did.
   * Beyond the bounds on waiting calls the call gets RESOURCE_EXHAUSTED (and a warning is logged,
   * a few a minute); a pool that is shut down (the server is stopping) answers UNAVAILABLE.
   */
  private boolean hand(ServerCallStreamObserver<?> responses, InvokeRequest request,
      Runnable task) {
    try {
      calls.executeCall(Context.current().wrap(task), request.getSerializedSize());
      return true;
    } catch (CallExecutor.Busy e) {
      failures.refused("refused calls (server busy)", "refused call " + LogText.name(
          objectName(request)) + "." + LogText.name(request.getMethod()) + ": "
          + e.getMessage());
      if (!responses.isCancelled()) {
        responses.onError(Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage())
            .asRuntimeException());
      }
    } catch (RejectedExecutionException e) {
      if (!responses.isCancelled()) {
        responses.onError(Status.UNAVAILABLE.withDescription("the server is stopping")
            .asRuntimeException());
      }
    }
    return false;
  }

  /**
   * Runs {@code task}, which may run the user's code, on the call pool rather than on the grpc
   * thread that asks for it; on this thread once the pool is shut down.
   */
  void offload(Runnable task) {
    try {
      calls.execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  /**
   * {@link #offload}s what must run after a call ends (closing a stream's source, cancelling a
   * future), and runs even when the server stops before a thread took it: see {@link Cleanup}.
   */
  void cleanUp(Runnable task) {
    offload(new Cleanup(task));
  }

  /** A task that {@code IpcServer.stop()} runs itself if the call pool never did. */
  record Cleanup(Runnable task) implements Runnable {
    @Override
    public void run() {
      task.run();
    }
  }

  private String objectName(InvokeRequest request) {
    return request.getObject().isEmpty() ? defaultObject : request.getObject();
  }

  private ExposedObject object(String objectName) throws CallException {
    ExposedObject object = objects.get(objectName);
    if (object == null) {
      throw new CallException(ErrorReason.NO_SUCH_OBJECT, "no object '" + objectName
          + "' on this server; it exposes " + String.join(", ", objects.keySet()));
    }
    return object;
  }

  private Serializer serializerOf(InvokeRequest request) throws CallException {
    if (!request.hasPayload()) {
      return serializers.json();
    }
    String name = request.getPayload().getSerializer();
    Serializer serializer = serializers.get(name);
    if (serializer == null) {
      throw new CallException(ErrorReason.SERIALIZER_NOT_ACCEPTED,
          "serializer '" + name + "' is not accepted by this server; it accepts "
              + String.join(", ", serializers.names()));
    }
    return serializer;
  }

  /**
   * The method the request names and its arguments. A method that is not overloaded and takes
   * only scalars has its arguments read straight into its parameters; everything else, and any
   * request that path does not take as it is, goes through the argument trees and overload
   * resolution, which also explain every failure.
   */
  private ExposedObject.Call call(String objectName, ExposedObject object, InvokeRequest request,
      Serializer serializer) throws CallException {
    if (request.hasPayload() && request.getParameterTypesCount() == 0
        && serializer instanceof JacksonSerializer jackson) {
      ExposedMethod only = object.only(request.getMethod());
      if (only != null && only.scalars != null) {
        Object[] args = jackson.readScalarArguments(request.getPayload().getData(), only.scalars);
        if (args != null) {
          return new ExposedObject.Call(only, args);
        }
      }
    }
    List<Object> args = arguments(objectName, request, serializer);
    return object.resolve(request.getMethod(), request.getParameterTypesList(), args, serializer);
  }

  private List<Object> arguments(String objectName, InvokeRequest request, Serializer serializer)
      throws CallException {
    try {
      if (request.hasPayload()) {
        ByteString data = request.getPayload().getData();
        return serializer instanceof JacksonSerializer jackson
            ? jackson.readArguments(data) : serializer.readArguments(data.toByteArray());
      }
      return JsonValues.arguments(request.getArgs(), limits.maxArguments(), limits.maxDepth(),
          limits.maxStringLength());
    } catch (IllegalArgumentException e) {
      throw new CallException(ErrorReason.BAD_ARGUMENTS,
          "bad arguments for " + objectName + "." + request.getMethod() + ": "
              + e.getMessage());
    }
  }

  /**
   * Calls the method. When {@code interruptible}, the cancellation of the current context
   * interrupts this thread while the method runs (or waits for a SERIALIZED object's lock).
   */
  private static Object run(ExposedObject object, ExposedObject.Call call,
      boolean interruptible) throws CallException {
    CallInterrupter interrupter = interruptible ? CallInterrupter.start(Context.current()) : null;
    try {
      if (object.lock != null) {
        if (interruptible) {
          object.lock.lockInterruptibly();
        } else {
          object.lock.lock();
        }
      }
      try {
        return call.method().method.invoke(object.target, call.args());
      } finally {
        if (object.lock != null) {
          object.lock.unlock();
        }
      }
    } catch (InvocationTargetException e) {
      Throwable thrown = e.getCause();
      throw remote(object, call, thrown, framesBelow(thrown, new Throwable().getStackTrace()));
    } catch (InterruptedException e) {
      throw new CallException(ErrorReason.REMOTE_EXCEPTION, object.name + "."
          + call.method().name() + " was interrupted while it waited for its turn on the object",
          e);
    } catch (IllegalAccessException | IllegalArgumentException e) {
      throw new CallException(ErrorReason.BAD_ARGUMENTS,
          "cannot call " + object.name + "." + call.method().signature() + ": " + e);
    } finally {
      if (interrupter != null) {
        interrupter.close();
      }
    }
  }

  /** The items of a streaming method's {@code result}; its {@code iterator()} may throw. */
  static ItemSource source(ExposedObject object, ExposedObject.Call call, Object result)
      throws CallException {
    try {
      return ItemSource.of(result);
    } catch (Throwable e) {
      throw remote(object, call, e, framesBelow(e, new Throwable().getStackTrace()));
    }
  }

  /**
   * The answer of {@code Invoke} on a streaming method: all its items as one list, as long as
   * they fit the message size limit; the source is closed in any case.
   */
  private InvokeResponse collect(ExposedObject object, ExposedObject.Call call, Object result,
      InvokeRequest request, Serializer serializer) throws CallException {
    ExposedMethod method = call.method();
    String name = object.name + "." + method.name();
    ItemSource source = source(object, call, result);
    List<Object> items = new ArrayList<>();
    ListValue.Builder values = ListValue.newBuilder();
    long size = 0;
    CallInterrupter interrupter = CallInterrupter.start(Context.current());
    try {
      while (true) {
        Object item;
        try {
          if (!source.items.hasNext()) {
            break;
          }
          item = source.items.next();
        } catch (Throwable e) {
          throw remote(object, call, e, framesBelow(e, new Throwable().getStackTrace()));
        }
        InvokeResponse one = encodeItem(name, items.size(), request, serializer, item,
            method.itemType);
        size += one.getSerializedSize();
        if (size > limits.maxMessageSize()) {
          throw new CallException(ErrorReason.RESULT_NOT_SERIALIZABLE, "the items of " + name
              + " exceed the message size limit of " + limits.maxMessageSize()
              + " bytes; read them with InvokeStream");
        }
        items.add(item);
        values.addValues(one.hasValue() ? one.getValue() : Value.getDefaultInstance());
      }
    } finally {
      interrupter.close();
      close(source, name);
    }
    if (!request.hasPayload()) {
      return InvokeResponse.newBuilder()
          .setValue(Value.newBuilder().setListValue(values)).build();
    }
    JavaType listType = serializers.json().mapper().getTypeFactory().constructCollectionType(
        List.class, serializers.json().mapper().getTypeFactory().constructType(method.itemType));
    try {
      return encode(request, serializer, items, listType);
    } catch (Throwable e) {
      throw new CallException(ErrorReason.RESULT_NOT_SERIALIZABLE,
          "the result of " + name + " cannot be sent: " + reasonOf(e));
    }
  }

  /** Item {@code index} of {@code name}'s stream as a response, or RESULT_NOT_SERIALIZABLE. */
  InvokeResponse encodeItem(String name, int index, InvokeRequest request, Serializer serializer,
      Object item, Type itemType) throws CallException {
    try {
      return encode(request, serializer, item, itemType);
    } catch (Throwable e) {
      throw new CallException(ErrorReason.RESULT_NOT_SERIALIZABLE,
          "item " + index + " of " + name + " cannot be sent: " + reasonOf(e));
    }
  }

  /** Closes a stream's source; a failure is logged, since the client has its answer already. */
  static void close(ItemSource source, String name) {
    try {
      source.close();
    } catch (Throwable e) {
      logger.log(Level.WARNING, "closing the stream of " + name + " failed", e);
    }
  }

  /**
   * How many frames at the bottom of {@code thrown}'s stack lie below the user's code: the frames
   * of {@code here} (the stack of the method that caught it, taken in its catch block, top frame
   * first) and the reflection frames just above them. 0 when the stacks do not line up, as for an
   * exception created on another thread.
   */
  static int framesBelow(Throwable thrown, StackTraceElement[] here) {
    StackTraceElement[] stack = thrown.getStackTrace();
    int start = stack.length - here.length;
    if (here.length == 0 || start < 0
        || !stack[start].getClassName().equals(here[0].getClassName())
        || !stack[start].getMethodName().equals(here[0].getMethodName())) {
      return 0;
    }
    for (int i = 1; i < here.length; i++) {
      if (!stack[start + i].equals(here[i])) {
        return 0;
      }
    }
    int top = start;
    while (top > 0 && isReflection(stack[top - 1].getClassName())) {
      top--;
    }
    return stack.length - top;
  }

  /** Whether a frame of {@code className} only carries a call into the user's code. */
  private static boolean isReflection(String className) {
    return className.startsWith("jdk.internal.reflect.")
        || className.startsWith("java.lang.reflect.")
        || className.startsWith("java.lang.invoke.")
        || className.equals(ItemSource.class.getName());
  }

  static CallException remote(ExposedObject object, ExposedObject.Call call, Throwable t,
      int framesToDrop) {
    String message = messageOf(t);
    return new CallException(ErrorReason.REMOTE_EXCEPTION,
        object.name + "." + call.method().name() + " threw " + t.getClass().getName()
            + (message.isEmpty() ? "" : ": " + message),
        t, framesToDrop);
  }

  /** {@code t}'s message, empty when it has none, or a note when getMessage() itself throws. */
  private static String messageOf(Throwable t) {
    try {
      String message = t.getMessage();
      return message == null ? "" : message;
    } catch (Throwable e) {
      return "(getMessage() threw " + e.getClass().getName() + ")";
    }
  }

  private void answer(ServerCallStreamObserver<InvokeResponse> responses, String objectName,
      InvokeRequest request, Serializer serializer, ExposedObject.Call call, Object result,
      boolean oneway) {
    InvokeResponse response;
    try {
      response = encode(request, serializer, result, call.method().resultType);
    } catch (Throwable e) {
      // Errors too (a getter may throw one): the call must still get a status.
      fail(responses, objectName, request.getMethod(), new CallException(
          ErrorReason.RESULT_NOT_SERIALIZABLE, "the result of " + objectName + "."
              + request.getMethod() + " cannot be sent: " + reasonOf(e)), oneway);
      return;
    }
    send(responses, response);
  }

  private static void send(ServerCallStreamObserver<InvokeResponse> responses,
      InvokeResponse response) {
    if (!responses.isCancelled()) {
      responses.onNext(response);
      responses.onCompleted();
    }
  }

  /** {@code value} in the request's form: a JSON value, or a payload in its serializer. */
  private InvokeResponse encode(InvokeRequest request, Serializer serializer, Object value,
      Type type) {
    if (request.hasPayload()) {
      // Fresh arrays (or the method's own byte[]) that nothing changes: wrapped, not copied.
      ByteString data = serializer instanceof JacksonSerializer jackson
          ? jackson.writeValueAsByteString(value, type)
          : UnsafeByteOperations.unsafeWrap(serializer.writeValue(value, type));
      return InvokeResponse.newBuilder().setPayload(Payload.newBuilder()
          .setSerializer(serializer.name()).setData(data)).build();
    }
    return InvokeResponse.newBuilder().setValue(JsonValues.toValue(
        serializers.json().mapper().valueToTree(value), limits.maxDepth())).build();
  }

  /** Why a value could not be written: the serializer's message, or the class of what broke. */
  private static String reasonOf(Throwable e) {
    if (e instanceof SerializationException || e instanceof IllegalArgumentException) {
      return messageOf(e);
    }
    String message = messageOf(e);
    return e.getClass().getName() + (message.isEmpty() ? "" : ": " + message);
  }

  /**
   * Sends {@code e} as the call's status, unless the call was cancelled, and logs it: see {@link
   * FailureLog} for what is logged at which level.
   */
  void fail(StreamObserver<?> responses, String object, String method, CallException e,
      boolean oneway) {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("object", object);
    metadata.put("method", method);
    if (e.thrown != null) {
      metadata.put("exception", e.thrown.getClass().getName());
    }
    boolean cancelled = responses instanceof ServerCallStreamObserver<?> call
        && call.isCancelled();
    failures.callFailed(object, method, e, oneway, cancelled);
    if (cancelled) {
      return;
    }
    // Without tracebacks nothing of the exception's own text leaves the server: its message may
    // carry a path or a secret. The client learns object, method and the exception's class.
    String message = sendTracebacks || e.thrown == null ? e.getMessage()
        : object + "." + method + " threw " + e.thrown.getClass().getName();
    responses.onError(StatusProto.toStatusRuntimeException(RemoteErrors.status(
        e.reason, message, metadata, e.thrown, sendTracebacks, e.framesToDrop)));
  }

  /** A future the method returned, cancelled when its call is. */
  private static final class PendingResult {
    private Future<?> future;
    private boolean cancelled;

    synchronized void set(CompletionStage<?> stage) {
      if (stage instanceof Future<?> f) {
        future = f;
        if (cancelled) {
          f.cancel(true);
        }
      }
    }

    void cancel() {
      Future<?> f;
      synchronized (this) {
        cancelled = true;
        f = future;
      }
      if (f != null) {
        f.cancel(true);
      }
    }
  }

  /**
   * Puts into the call's context the connection it came on, and "this call is oneway" when the
   * request header says so.
   */
  private static final class OnewayHeader implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      Context context = Context.current().withValue(CONNECTION, Connection.of(call));
      if ("1".equals(headers.get(ONEWAY_HEADER))) {
        context = context.withValue(ONEWAY, true);
      }
      return Contexts.interceptCall(context, call, headers, next);
    }
  }
}
