package io.ipc4j.server;

import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.ipc4j.core.CallObserver;
import io.ipc4j.core.ErrorReason;
import io.ipc4j.core.Limits;
import io.ipc4j.core.internal.Serializers;
import io.ipc4j.core.internal.WireHeaders;
import io.ipc4j.proto.v1.DescribeRequest;
import io.ipc4j.proto.v1.DescribeResponse;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.proto.v1.SessionRequest;
import io.ipc4j.proto.v1.SessionResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The generic InvokeService: the gRPC adapter that takes {@code Invoke}, {@code InvokeStream} and
 * {@code Describe} through a call's three stages, {@link CallDecoder} (request → call), {@link
 * CallRunner} (where and how the method runs) and {@link AnswerEncoder} (answer or error).
 *
 * <p>{@code Invoke} answers with the method's result. While a method runs, the cancellation of
 * its call (the client cancelled, went away, or its deadline passed) interrupts the thread that
 * runs it; a method that returned a {@code CompletableFuture} has that future cancelled instead.
 * Oneway calls (the request header {@value WireHeaders#ONEWAY_NAME}, or a method marked
 * {@link io.ipc4j.core.Oneway}) are never interrupted.
 *
 * <p>{@code InvokeStream} sends the items of a method that returns a {@code Stream}, {@code
 * Iterator} or {@code Iterable} (or a collection) one response each, as the client reads them;
 * see {@link StreamCall}.
 *
 * <p>{@code Session} carries many calls as messages on one stream; see {@link SessionCall}.
 */
final class InvokeService implements InvokeServiceGrpc.AsyncService, BindableService {
  /** How long a stream may stay open by default (Pyro's ITER_STREAM_LIFETIME). */
  static final Duration DEFAULT_STREAM_LIFETIME = Duration.ofMinutes(10);

  private static final Context.Key<Boolean> ONEWAY = Context.key("ipc4j-oneway");
  /** The connection a call came on. */
  private static final Context.Key<Connection> CONNECTION = Context.key("ipc4j-connection");
  /** The request headers of the call. */
  private static final Context.Key<Metadata> HEADERS = Context.key("ipc4j-headers");
  /** The largest answer a session's client reads, when it said so on opening the session. */
  private static final Context.Key<Long> MAX_ANSWER = Context.key("ipc4j-max-answer-bytes");

  private final CallDecoder decoder;
  private final CallRunner runner;
  private final AnswerEncoder answers;
  private final Limits limits;
  private final Duration streamLifetime;
  /** The failed and refused calls of this server. */
  private final FailureLog failures = new FailureLog(FailureLog.CALLS);
  /** Oneway calls waiting or running, per connection and in total. */
  private final ConnectionBudget onewayCalls;
  /** How long a stream may wait for its reader. */
  private final Duration streamStallTimeout;
  /** The sessions open, for {@link #stopSessions()}. */
  private final Set<SessionCall> sessions = ConcurrentHashMap.newKeySet();
  /** Set by {@link #stopSessions()}: sessions that open later are stopped at once. */
  private volatile boolean stopping;
  /** The server's call observer, if any. */
  private final ServerObservations observations;
  /** How long a session may go without a call before the server ends it. */
  private final Duration sessionIdle;
  /** The most references one session carries. */
  private final int maxReferences;
  /** How long a session may live (the server's maxConnectionAge); null: no bound. */
  private final Duration sessionMaxAge;

  /**
   * A service whose methods run on {@code calls}. grpc may call it on a transport thread, which
   * must never block: each call is handed to {@code calls} before anything of the user's runs.
   */
  InvokeService(Map<String, ExposedObject> objects, String defaultObject, Serializers serializers,
      Limits limits, boolean sendTracebacks, Duration streamLifetime, CallExecutor calls,
      ServerLimits serverLimits, Duration maxConnectionAge, CallObserver observer) {
    this.decoder = new CallDecoder(objects, defaultObject, serializers, limits);
    this.runner = new CallRunner(calls, failures);
    this.answers = new AnswerEncoder(serializers, limits, sendTracebacks, failures);
    this.limits = limits;
    this.streamLifetime = Objects.requireNonNull(streamLifetime, "streamLifetime == null");
    this.onewayCalls = new ConnectionBudget("oneway calls", "maxOnewayCalls",
        serverLimits.maxOnewayCallsPerConnection(), serverLimits.maxOnewayCalls(),
        c -> c.onewayCalls);
    this.streamStallTimeout = serverLimits.streamStallTimeout();
    this.sessionIdle = serverLimits.maxConnectionIdle();
    this.sessionMaxAge = maxConnectionAge;
    this.maxReferences = serverLimits.maxReferences();
    this.observations = new ServerObservations(observer, decoder);
  }

  /** The request header {@code key} of the current call, or null. */
  private static String header(String key) {
    Metadata headers = HEADERS.get();
    try {
      return headers == null ? null
          : headers.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
    } catch (IllegalArgumentException e) {
      return null; // not a header name
    }
  }

  /** The references the server's sessions hold now, each as its interface and its client. */
  List<String> references() {
    List<String> held = new java.util.ArrayList<>();
    for (SessionCall session : sessions) {
      held.addAll(session.references());
    }
    return held;
  }

  /** The threads running {@code object.method} now. */
  List<Thread> threadsRunning(String call) {
    return runner.threadsRunning(call);
  }

  /** The service, with the oneway header read into the call's context. */
  @Override
  public ServerServiceDefinition bindService() {
    return ServerInterceptors.intercept(RequestParsing.bind(this, limits), new OnewayHeader(limits.maxMessageSize()));
  }

  @Override
  public void invoke(InvokeRequest request, StreamObserver<InvokeResponse> observer) {
    ServerCallStreamObserver<InvokeResponse> grpcResponses =
        (ServerCallStreamObserver<InvokeResponse>) observer;
    CallObserver.Observation observation = !observations.observing() ? ServerObservations.NONE
        : observations.start(request, "Invoke", isOneway(request), InvokeService::header);
    ObservedResponses observed = observation == ServerObservations.NONE ? null
        : new ObservedResponses(grpcResponses, observation);
    ServerCallStreamObserver<InvokeResponse> responses =
        observed == null ? grpcResponses : observed;
    // Set now, while grpc allows it: cancels a future the method returns; and without a handler,
    // answering a cancelled call would throw.
    PendingResult pending = new PendingResult();
    responses.setOnCancelHandler(() -> runner.cleanUp(pending::cancel));
    if (decoder.runsInline(request)) {
      invokeNow(request, responses, pending, true);
    } else if (!isOneway(request)) {
      runner.hand(responses, request, decoder.objectName(request),
          () -> invokeNow(request, responses, pending, false));
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
    String objectName = decoder.objectName(request);
    if (refused != null) {
      failures.refused("refused oneway calls", "refused oneway call " + LogText.name(
          objectName) + "." + LogText.name(request.getMethod()) + " from " + connection + ": "
          + refused);
      responses.onError(Status.RESOURCE_EXHAUSTED.withDescription(refused).asRuntimeException());
      return;
    }
    boolean handed = runner.hand(responses, request, objectName, () -> {
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
    return Boolean.TRUE.equals(ONEWAY.get()) || decoder.namesOnewayMethod(request);
  }

  /**
   * {@link #invoke} on a pool thread, or {@code inline} on the transport thread, which is never
   * interrupted: decode, run, answer.
   */
  private void invokeNow(InvokeRequest request,
      ServerCallStreamObserver<InvokeResponse> responses, PendingResult pending, boolean inline) {
    String objectName = decoder.objectName(request);
    boolean oneway = Boolean.TRUE.equals(ONEWAY.get());
    try {
      CallDecoder.Decoded decoded = decoder.decode(request);
      ExposedObject object = decoded.object();
      ExposedObject.Call call = decoded.call();
      oneway |= call.method().oneway;
      if (!oneway && Context.current().isCancelled()) {
        return; // the caller gave up while the call waited for a thread; nobody waits for it
      }
      Object result;
      try (CallObserver.Scope scope = responses instanceof ObservedResponses o
          ? o.enter() : null) {
        result = runner.run(object, call, !oneway && !inline);
      }
      if (call.method().streaming) {
        AnswerEncoder.send(responses,
            answers.collect(object, call, result, request, decoded.serializer()));
      } else if (result instanceof CompletionStage<?> stage) {
        boolean isOneway = oneway;
        pending.set(stage);
        stage.whenComplete((value, failure) -> {
          if (failure != null) {
            Throwable thrown = failure instanceof CompletionException
                || failure instanceof ExecutionException ? failure.getCause() : failure;
            answers.fail(responses, objectName, request.getMethod(),
                RemoteFailure.of(object, call, thrown == null ? failure : thrown, 0), isOneway);
          } else {
            answers.answer(responses, objectName, request, decoded.serializer(), call, value,
                isOneway);
          }
        });
      } else {
        answers.answer(responses, objectName, request, decoded.serializer(), call, result,
            oneway);
      }
    } catch (CallException e) {
      answers.fail(responses, objectName, request.getMethod(), e, oneway);
    }
  }

  @Override
  public void invokeStream(InvokeRequest request, StreamObserver<InvokeResponse> observer) {
    ServerCallStreamObserver<InvokeResponse> grpcResponses =
        (ServerCallStreamObserver<InvokeResponse>) observer;
    // Observed as one call: from its request to the stream's end, its size all items together.
    ServerCallStreamObserver<InvokeResponse> responses = !observations.observing()
        ? grpcResponses : new ObservedResponses(grpcResponses,
            observations.start(request, "InvokeStream", false, InvokeService::header));
    // Cancellation is handled by StreamCall through the context; this only keeps onNext from
    // throwing on a cancelled call. grpc takes handlers only now: readiness goes to the stream
    // once it exists.
    responses.setOnCancelHandler(() -> {});
    AtomicReference<StreamCall> stream = new AtomicReference<>();
    responses.setOnReadyHandler(() -> {
      StreamCall started = stream.get();
      if (started != null) {
        runner.offload(started::wake);
      }
    });
    runner.hand(responses, request, decoder.objectName(request),
        () -> invokeStreamNow(request, responses, stream));
  }

  /** {@link #invokeStream} on a thread that may block. */
  private void invokeStreamNow(InvokeRequest request,
      ServerCallStreamObserver<InvokeResponse> responses, AtomicReference<StreamCall> stream) {
    String objectName = decoder.objectName(request);
    Context.CancellableContext context = null;
    try {
      CallDecoder.Decoded decoded = decoder.decode(request);
      ExposedObject object = decoded.object();
      ExposedObject.Call call = decoded.call();
      ExposedMethod method = call.method();
      if (method.itemType == null) {
        throw new CallException(ErrorReason.NO_SUCH_METHOD, objectName + "."
            + method.signature() + " returns " + method.method.getGenericReturnType().getTypeName()
            + ", which is not streamed; call it with Invoke");
      }
      context = StreamCall.lifetimeContext(streamLifetime);
      Object result;
      Context previous = context.attach();
      try (CallObserver.Scope scope = responses instanceof ObservedResponses o
          ? o.enter() : null) {
        result = runner.run(object, call, true);
      } finally {
        context.detach(previous);
      }
      ItemSource source = CallRunner.source(object, call, result);
      StreamCall started = new StreamCall(answers, runner, responses, context, source, object, call,
          request, decoded.serializer(), streamLifetime, streamStallTimeout);
      stream.set(started);
      started.start();
    } catch (CallException e) {
      if (context != null) {
        context.cancel(null);
      }
      answers.fail(responses, objectName, request.getMethod(), e, false);
    }
  }

  @Override
  public StreamObserver<SessionRequest> session(StreamObserver<SessionResponse> observer) {
    ServerCallStreamObserver<SessionResponse> responses =
        (ServerCallStreamObserver<SessionResponse>) observer;
    Long maxAnswer = MAX_ANSWER.get();
    SessionCall session = new SessionCall(decoder, runner, answers, responses,
        maxAnswer == null ? Long.MAX_VALUE : maxAnswer, sessionIdle, sessionMaxAge, onewayCalls,
        CONNECTION.get(), observations, maxReferences);
    responses.setOnCancelHandler(() -> {
      sessions.remove(session);
      session.cancelled();
    });
    responses.setOnReadyHandler(session::flush);
    // A session the server ended (drained, or the client half-closed) is no longer open.
    responses.setOnCloseHandler(() -> sessions.remove(session));
    sessions.add(session);
    if (stopping) { // read after the add: either stopSessions() sees this session or this sees it
      session.stop();
    }
    return new StreamObserver<>() {
      @Override
      public void onNext(SessionRequest value) {
        session.onNext(value);
      }

      @Override
      public void onError(Throwable t) {
        sessions.remove(session);
        session.onError(t);
      }

      @Override
      public void onCompleted() {
        session.onCompleted();
      }
    };
  }

  /**
   * The server is stopping: every session, open or opened from now on, refuses new calls and ends
   * with UNAVAILABLE once its calls in flight have been answered.
   */
  void stopSessions() {
    stopping = true;
    for (SessionCall session : sessions) {
      session.stop();
    }
  }

  @Override
  public void describe(DescribeRequest request, StreamObserver<DescribeResponse> responses) {
    try {
      responses.onNext(decoder.describe(request));
      responses.onCompleted();
    } catch (CallException e) {
      answers.fail(responses, request.getObject(), "", e, false);
    }
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
   * Puts into the call's context the connection it came on, "this call is oneway" when the
   * request header says so, and the largest answer a session's client reads.
   */
  private static final class OnewayHeader implements ServerInterceptor {
    private static final String SESSION_METHOD =
        InvokeServiceGrpc.getSessionMethod().getFullMethodName();
    /** What a session's response headers say of the largest request it reads. */
    private final String maxRequestBytes;

    OnewayHeader(int maxMessageSize) {
      this.maxRequestBytes = Integer.toString(maxMessageSize);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> originalCall, Metadata headers, ServerCallHandler<Q, R> next) {
      ServerCall<Q, R> call = originalCall;
      if (SESSION_METHOD.equals(originalCall.getMethodDescriptor().getFullMethodName())) {
        call = new ForwardingServerCall.SimpleForwardingServerCall<>(originalCall) {
          @Override
          public void sendHeaders(Metadata responseHeaders) {
            responseHeaders.put(WireHeaders.MAX_REQUEST_BYTES, maxRequestBytes);
            super.sendHeaders(responseHeaders);
          }
        };
      }
      Context context = Context.current().withValue(CONNECTION, Connection.of(call))
          .withValue(HEADERS, headers);
      if ("1".equals(headers.get(WireHeaders.ONEWAY))) {
        context = context.withValue(ONEWAY, true);
      }
      String maxAnswer = headers.get(WireHeaders.MAX_ANSWER_BYTES);
      if (maxAnswer != null) {
        try {
          context = context.withValue(MAX_ANSWER, Math.max(0, Long.parseLong(maxAnswer)));
        } catch (NumberFormatException e) {
          // Not a number: no bound of the client's is known.
        }
      }
      return Contexts.interceptCall(context, call, headers, next);
    }
  }
}
