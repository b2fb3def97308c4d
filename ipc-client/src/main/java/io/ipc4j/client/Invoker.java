package io.ipc4j.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.ipc4j.core.CallObserver;
import io.ipc4j.core.internal.CallMetadata;
import io.ipc4j.core.internal.JsonValues;
import io.ipc4j.core.internal.SerializationException;
import io.ipc4j.core.internal.Serializer;
import io.ipc4j.core.internal.Serializers;
import io.ipc4j.core.internal.WireHeaders;
import io.ipc4j.proto.v1.DescribeRequest;
import io.ipc4j.proto.v1.DescribeResponse;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.proto.v1.Payload;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Sends calls over one channel and turns answers and failures into values and exceptions: blocking
 * ({@link #invoke}), asynchronous ({@link #invokeAsync}), oneway ({@link #invokeOneway}) and
 * streaming ({@link #invokeStream}).
 */
final class Invoker {

  private final ManagedChannel channel;
  /** The channel behind the client's interceptors. */
  private final Channel calls;
  private final InvokeServiceGrpc.InvokeServiceBlockingStub stub;
  private final Serializer serializer;
  private final Serializers serializers;
  private final Duration deadline;
  private final String target;
  private final int maxDepth;
  private final OnewayLane oneway = new OnewayLane(this);
  /** Calls as messages on one stream; null when the client sends each call with Invoke. */
  private final Sessions sessions;
  /** The client's call observer, if any. */
  private final ClientObservations observations;
  private static final String INVOKE = "Invoke";
  private static final String SESSION = "Session";

  Invoker(ManagedChannel channel, ClientInterceptor[] interceptors,
      Serializers serializers, String serializer, Duration deadline, String target, int maxDepth,
      int maxAnswerBytes, boolean sessions, CallObserver observer,
      ClientReferences.Settings references) {
    this.channel = channel;
    Channel retrying = new ResolutionRaceRetry(channel);
    this.calls = ClientInterceptors.intercept(retrying, interceptors);
    this.stub = InvokeServiceGrpc.newBlockingStub(retrying).withInterceptors(interceptors);
    this.serializers = serializers;
    this.serializer = serializers.get(serializer);
    this.deadline = deadline;
    this.target = target;
    this.maxDepth = maxDepth;
    this.sessions = sessions
        ? new Sessions(calls, maxAnswerBytes, session -> new ClientReferences(session, references),
            then -> reconnectNow(channel, then))
        : null;
    this.observations = new ClientObservations(observer);
  }

  /** Calls {@code object.method(args)} and reads the result as {@code resultType}. */
  Object invoke(String object, String method, List<String> parameterTypes, Object[] args,
      Type resultType) {
    // Named only when a message needs it.
    CallName call = new CallName(object, method, target);
    InvokeRequest request = request(object, method, parameterTypes, args, call, true);
    boolean onSession = sessions != null && sessions.takes(request);
    ClientObservations.Observed observed = observations.start(object, method, false,
        onSession ? SESSION : INVOKE, request.getSerializedSize());
    try {
      InvokeResponse response = null;
      try {
        if (onSession) {
          reconnectIfFailed(channel);
          // null: the server has no sessions
          response = sessions.invoke(request, deadline, observed.metadata);
        }
        if (response == null) {
          response = stub(observed.metadata).invoke(request);
        }
      } catch (StatusRuntimeException e) {
        throw failure(e, call.toString());
      }
      Object value = read(response, resultType, call);
      observed.answered(response.getSerializedSize());
      return value;
    } catch (RuntimeException e) {
      observed.failed(e);
      throw e;
    }
  }

  /**
   * Calls a method that passes or returns references ({@link io.ipc4j.core.Remote} interfaces),
   * blocking, asynchronously or oneway as {@code method} says. It goes on the client's session,
   * the only place its references are valid, and is never sent again on another: objects passed
   * are exported on that session, and a reference answered becomes a proxy bound to it.
   */
  Object invokeWithReferences(String object, ProxyMethod method, Object[] args)
      throws Throwable {
    String call = describe(object, method.name);
    if (method.kind != ProxyMethod.Kind.BLOCKING && method.kind != ProxyMethod.Kind.ASYNC
        && method.kind != ProxyMethod.Kind.ONEWAY) {
      throw new IpcException(method.name + " streams its items, which a method that passes or"
          + " returns references cannot (" + call + ")", Status.Code.UNIMPLEMENTED, null, null);
    }
    reconnectIfFailed(channel);
    Session session = sessions == null ? null : sessions.referenceSession();
    if (session == null) {
      throw needsSession(method, call);
    }
    ClientReferences references = session.references();
    Object[] sent = args.clone();
    for (int i = 0; i < sent.length; i++) {
      if (method.remoteParameters[i] != null && sent[i] != null) {
        sent[i] = references.export(sent[i], method.remoteParameters[i], call);
      }
    }
    InvokeRequest request = request(object, method.name, method.parameterTypes, sent, call,
        false);
    boolean oneway = method.kind == ProxyMethod.Kind.ONEWAY;
    ClientObservations.Observed observed = observations.start(object, method.name, oneway,
        SESSION, request.getSerializedSize());
    if (oneway) {
      session.callOneway(request, observed.metadata, "");
      observed.answered(0);
      return null;
    }
    long nanos = deadline.toNanos();
    RemoteFuture<InvokeResponse> answer = session.call(request, nanos, observed.metadata);
    Function<InvokeResponse, Object> read = response -> {
      Object value = readResult(response, method, references, call);
      observed.answered(response.getSerializedSize());
      return value;
    };
    Function<Throwable, IpcException> failure = thrown -> referenceFailure(thrown, method, call);
    if (method.kind == ProxyMethod.Kind.ASYNC) {
      CompletableFuture<Object> future = SessionAnswers.whenAnswered(answer, nanos, call, read,
          failure, method::translate);
      future.whenComplete((value, thrown) -> {
        if (thrown != null) {
          observed.failed(thrown);
        }
      });
      return future;
    }
    try {
      return read.apply(SessionAnswers.await(answer, nanos, call, failure));
    } catch (IpcException e) {
      observed.failed(e);
      throw method.translate(e);
    }
  }

  /**
   * What a call that carries references fails with when its session call fails so: it is never
   * sent again, since its references are valid on its session only.
   */
  private IpcException referenceFailure(Throwable failure, ProxyMethod method, String call) {
    if (failure instanceof Session.Unsupported) {
      sessions.markUnsupported();
      return needsSession(method, call);
    }
    if (failure instanceof Session.NotRun notRun) {
      return Failures.of(notRun.status, call);
    }
    if (failure instanceof StatusRuntimeException e) {
      return Failures.of(e, call);
    }
    return failure instanceof IpcException e ? e
        : new IpcException(failure + " (" + call + ")", Status.Code.UNKNOWN, null, failure);
  }

  /** The result of a call that carries references: a proxy when it is a reference. */
  private Object readResult(InvokeResponse response, ProxyMethod method,
      ClientReferences references, String call) {
    if (method.remoteResult == null) {
      return read(response, method.resultType, call);
    }
    Object id = read(response, String.class, call);
    return id == null ? null : references.imported((String) id, method.remoteResult, call);
  }

  private static IpcException needsSession(ProxyMethod method, String call) {
    String what = method.remoteResult != null
        ? "returns a @Remote " + method.remoteResult.getName()
        : "passes a @Remote " + java.util.Arrays.stream(method.remoteParameters)
            .filter(java.util.Objects::nonNull).findFirst().orElseThrow().getName();
    return new IpcException(method.name + " " + what + ", which travels by reference over a"
        + " session; this client has none (sessions are off, or the server offers none) ("
        + call + ")", Status.Code.FAILED_PRECONDITION, null, null);
  }

  /**
   * Calls {@code object.method(args)} without blocking. The future completes with the result read
   * as {@code resultType}, or with the exception the blocking call would throw, as {@code
   * translate} turns it (a proxy rebuilds declared exceptions). Cancelling it cancels the call,
   * which the server sees.
   */
  CompletableFuture<Object> invokeAsync(String object, String method, List<String> parameterTypes,
      Object[] args, Type resultType, Function<IpcException, Throwable> translate) {
    String call = describe(object, method);
    InvokeRequest request;
    try {
      request = request(object, method, parameterTypes, args, call, false);
    } catch (IpcException e) {
      return CompletableFuture.failedFuture(e);
    }
    boolean onSession = sessions != null && sessions.takes(request);
    ClientObservations.Observed observed = observations.start(object, method, false,
        onSession ? SESSION : INVOKE, request.getSerializedSize());
    CompletableFuture<Object> future = onSession
        ? invokeInSession(request, resultType, translate, call, observed)
        : invokeUnary(request, resultType, translate, call, observed);
    if (observed != ClientObservations.NONE) {
      future.whenComplete((value, failure) -> {
        if (failure != null) {
          observed.failed(failure);
        }
      });
    }
    return future;
  }

  /** {@link #invokeAsync} as a message on the client's session. */
  private CompletableFuture<Object> invokeInSession(InvokeRequest request, Type resultType,
      Function<IpcException, Throwable> translate, String call,
      ClientObservations.Observed observed) {
    reconnectIfFailed(channel);
    RemoteFuture<InvokeResponse> answer = sessions.invokeAsync(request, deadline,
        observed.metadata);
    RemoteFuture<Object> future = new RemoteFuture<>(() -> answer.cancel(true));
    answer.whenCompleteAsync((response, failure) -> {
      if (failure == null) {
        try {
          Object value = read(response, resultType, call);
          observed.answered(response.getSerializedSize());
          future.complete(value);
        } catch (IpcException e) {
          future.completeExceptionally(e);
        }
      } else if (failure instanceof Session.Unsupported) {
        CompletableFuture<Object> unary =
            invokeUnary(request, resultType, translate, call, observed);
        unary.whenComplete((value, failed) -> {
          if (failed != null) {
            future.completeExceptionally(failed);
          } else {
            future.complete(value);
          }
        });
      } else if (!(failure instanceof CancellationException)) {
        IpcException ipc = failure instanceof StatusRuntimeException e ? Failures.of(e, call)
            : new IpcException(failure + " (" + call + ")", Status.Code.UNKNOWN, null, failure);
        future.completeExceptionally(translate.apply(ipc));
      }
    }, AnswerThreads.EXECUTOR);
    return future;
  }

  /** {@link #invokeAsync} as a call of its own. */
  private CompletableFuture<Object> invokeUnary(InvokeRequest request, Type resultType,
      Function<IpcException, Throwable> translate, String call,
      ClientObservations.Observed observed) {
    ClientCall<InvokeRequest, InvokeResponse> clientCall = newCall(
        InvokeServiceGrpc.getInvokeMethod(), true, observed.metadata);
    RemoteFuture<Object> future = new RemoteFuture<>(clientCall);
    ClientCalls.asyncUnaryCall(clientCall, request, new StreamObserver<InvokeResponse>() {
      private InvokeResponse response;

      @Override
      public void onNext(InvokeResponse value) {
        response = value;
      }

      @Override
      public void onError(Throwable t) {
        IpcException failure = t instanceof StatusRuntimeException e ? Failures.of(e, call)
            : new IpcException(t + " (" + call + ")", Status.Code.UNKNOWN, null, t);
        future.completeExceptionally(translate.apply(failure));
      }

      @Override
      public void onCompleted() {
        try {
          Object value = read(response, resultType, call);
          observed.answered(response == null ? 0 : response.getSerializedSize());
          future.complete(value);
        } catch (IpcException e) {
          future.completeExceptionally(e);
        }
      }
    });
    return future;
  }

  /**
   * Sends {@code object.method(args)} without waiting for it. Arguments that cannot be written
   * fail at once; everything later is logged. Oneway calls of one client run on the server one
   * after another, in the order they were made (see {@link OnewayLane}).
   *
   * @throws IpcBadArgumentsException when the arguments cannot be written
   */
  void invokeOneway(String object, String method, List<String> parameterTypes, Object[] args) {
    String call = describe(object, method);
    InvokeRequest request = request(object, method, parameterTypes, args, call, false);
    // Once the server is known to offer sessions, and no call of the lane is left to overtake.
    boolean onSession = sessions != null && sessions.offered() && oneway.idle();
    ClientObservations.Observed observed = observations.start(object, method, true,
        onSession ? SESSION : INVOKE, request.getSerializedSize());
    if (onSession) {
      reconnectIfFailed(channel);
      sessions.invokeOneway(request, observed.metadata);
    } else {
      oneway.submit(request, call);
    }
    observed.answered(0); // sent: nobody waits for more
  }

  /**
   * Waits until this client's oneway calls have all been answered, or {@code timeout} has passed;
   * answers which. Meant for {@code IpcClient.close()}, before it shuts the channel down.
   */
  boolean awaitOnewayCalls(Duration timeout) throws InterruptedException {
    return oneway.awaitIdle(timeout);
  }

  /**
   * Waits until the session's calls have been answered, at most {@code timeout}, then ends it;
   * its queued oneway calls still run. Meant for {@code IpcClient.close()}.
   */
  void closeSession(Duration timeout) throws InterruptedException {
    if (sessions != null) {
      sessions.close(timeout);
    }
  }

  /** Starts a oneway call for {@link OnewayLane}; {@code listener} hears how it ended. */
  void startOneway(InvokeRequest request, ClientCall.Listener<InvokeResponse> listener) {
    ClientCall<InvokeRequest, InvokeResponse> clientCall = newCall(
        InvokeServiceGrpc.getInvokeMethod(), true);
    Metadata headers = new Metadata();
    headers.put(WireHeaders.ONEWAY, "1");
    clientCall.start(listener, headers);
    clientCall.request(1);
    clientCall.sendMessage(request);
    clientCall.halfClose();
  }

  /**
   * Starts {@code object.method(args)} through {@code InvokeStream} and returns its items as a
   * lazy iterator, each read as {@code itemType}. The call has no overall deadline (the server
   * bounds a stream's lifetime); each wait for an item is bounded by the client's deadline.
   */
  StreamingCall invokeStream(String object, String method, List<String> parameterTypes,
      Object[] args, Type itemType, Function<IpcException, Throwable> translate) {
    String call = describe(object, method);
    InvokeRequest request = request(object, method, parameterTypes, args, call, false);
    ClientObservations.Observed observed = observations.start(object, method, false,
        "InvokeStream", request.getSerializedSize());
    ClientCall<InvokeRequest, InvokeResponse> clientCall = newCall(
        InvokeServiceGrpc.getInvokeStreamMethod(), false, observed.metadata);
    return StreamingCall.start(clientCall, request, response -> read(response, itemType, call),
        translate, call, deadline, observed);
  }

  /** The description of {@code object}, or of every object when it is empty. */
  DescribeResponse describe(String object) {
    try {
      return stub().describe(DescribeRequest.newBuilder().setObject(object).build());
    } catch (StatusRuntimeException e) {
      throw failure(e, "describe " + (object.isEmpty() ? "" : object + " ") + "at " + target);
    }
  }

  /** How messages name a call: {@code kodi-IPC.get at localhost:9099}. */
  private String describe(String object, String method) {
    return new CallName(object, method, target).toString();
  }

  /** A call's name, built only when a message uses it (its {@code toString()}). */
  private record CallName(String object, String method, String target) {
    @Override
    public String toString() {
      return object + "." + method + " at " + target;
    }
  }

  /**
   * The request for a call. Only when {@code callerWaits} (a blocking call: the caller cannot
   * change its arguments before the answer) is a {@code byte[]} argument sent as it is; otherwise
   * it is written out, since the caller may reuse its array at once.
   */
  private InvokeRequest request(String object, String method, List<String> parameterTypes,
      Object[] args, Object call, boolean callerWaits) {
    ByteString data;
    try {
      data = callerWaits ? serializer.writeArgumentBytes(args)
          : UnsafeByteOperations.unsafeWrap(serializer.writeArguments(args));
    } catch (SerializationException e) {
      throw new IpcBadArgumentsException(e.getMessage() + " (" + call + ")",
          Status.Code.INVALID_ARGUMENT, null, e);
    }
    return InvokeRequest.newBuilder()
        .setObject(object)
        .setMethod(method)
        .addAllParameterTypes(parameterTypes)
        .setPayload(Payload.newBuilder().setSerializer(serializer.name())
            .setData(data))
        .build();
  }

  /** The value in {@code response}, read as {@code type}. */
  private Object read(InvokeResponse response, Type type, Object call) {
    if (response == null) {
      throw new IpcException("the server answered without a value (" + call + ")",
          Status.Code.INTERNAL, null, null);
    }
    try {
      if (response.hasPayload()) {
        Serializer answering = serializers.get(response.getPayload().getSerializer());
        if (answering == null) {
          throw new IpcException("the server answered in serializer '"
              + response.getPayload().getSerializer() + "', which this client does not read ("
              + call + ")", Status.Code.INTERNAL, null, null);
        }
        ByteString data = response.getPayload().getData();
        // Read where it lies, when the serializer can.
        return answering.readValue(data, type);
      }
      return serializers.json().convert(JsonValues.toNode(response.getValue(), maxDepth), type);
    } catch (SerializationException | IllegalArgumentException e) {
      throw new IpcException("cannot read the result as " + type.getTypeName() + ": "
          + e.getMessage() + " (" + call + ")", Status.Code.INTERNAL, null, e);
    }
  }

  private InvokeServiceGrpc.InvokeServiceBlockingStub stub() {
    reconnectIfFailed(channel);
    return stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  private <Q, R> ClientCall<Q, R> newCall(io.grpc.MethodDescriptor<Q, R> method,
      boolean withDeadline) {
    return newCall(method, withDeadline, CallMetadata.NONE);
  }

  /** A new call that sends {@code metadata} among its request headers. */
  private <Q, R> ClientCall<Q, R> newCall(io.grpc.MethodDescriptor<Q, R> method,
      boolean withDeadline, CallMetadata metadata) {
    reconnectIfFailed(channel);
    CallOptions options = withDeadline
        ? CallOptions.DEFAULT.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
        : CallOptions.DEFAULT;
    Channel through = metadata.isEmpty() ? calls
        : ClientInterceptors.intercept(calls, MetadataUtils.newAttachHeadersInterceptor(
            headers(metadata)));
    return through.newCall(method, options);
  }

  /** {@code metadata} as request headers; entries that are no valid header are left out. */
  private static Metadata headers(CallMetadata metadata) {
    Metadata headers = new Metadata();
    metadata.forEach((key, value) -> {
      try {
        headers.put(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER), value);
      } catch (IllegalArgumentException e) {
        // not a header name or value: it cannot travel
      }
    });
    return headers;
  }

  /** The blocking stub, sending {@code metadata} among the request headers. */
  private InvokeServiceGrpc.InvokeServiceBlockingStub stub(CallMetadata metadata) {
    return metadata.isEmpty() ? stub()
        : stub().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers(metadata)));
  }

  /**
   * After a failed connection the channel stays in TRANSIENT_FAILURE and fails every call at once
   * until a backed-off attempt succeeds, even when the server is back. A new call is a good reason
   * to try now: an idle channel resolves the target again and connects afresh, and the call waits
   * for that attempt, so a started or restarted server is found at once and a missing one still
   * fails fast.
   */
  static void reconnectIfFailed(ManagedChannel channel) {
    if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
      channel.enterIdle();
    }
  }

  /**
   * After a call's connection was refused: unless another call has connected meanwhile, drops
   * the channel's connection attempts (one may have set out before a restarting server listened
   * again), then runs {@code then}, once the channel has taken that in, so that the call sent
   * again connects afresh.
   */
  static void reconnectNow(ManagedChannel channel, Runnable then) {
    ConnectivityState state = channel.getState(false);
    if (state != ConnectivityState.READY && state != ConnectivityState.IDLE) {
      channel.enterIdle();
      state = channel.getState(false);
    }
    if (state == ConnectivityState.READY || state == ConnectivityState.IDLE
        || state == ConnectivityState.SHUTDOWN) {
      then.run();
    } else { // the channel has yet to take in enterIdle(), or another call connects meanwhile
      channel.notifyWhenStateChanged(state, then);
    }
  }

  private static IpcException failure(StatusRuntimeException e, String call) {
    if (e.getStatus().getCode() == Status.Code.CANCELLED
        && Thread.currentThread().isInterrupted()) {
      return new IpcException("interrupted while waiting for " + call, Status.Code.CANCELLED,
          null, e);
    }
    return Failures.of(e, call);
  }
}
