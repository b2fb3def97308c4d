package io.ipc4j.server;

import com.google.protobuf.Duration;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.ipc4j.core.CallObserver;
import io.ipc4j.core.internal.CallMetadata;
import io.ipc4j.core.internal.WireHeaders;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.SessionRequest;
import io.ipc4j.proto.v1.SessionResponse;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One {@code Session} stream: many calls as messages, each taken through the same stages as
 * {@code Invoke} ({@link CallDecoder}, {@link CallRunner}, {@link AnswerEncoder}) and answered
 * with a message naming its id.
 *
 * <p>Each call runs in a context of its own: a {@code Cancel} message,
 * the call's timeout, or the end of the stream cancels it, which interrupts the method (or
 * cancels the future it returned), as for {@code Invoke}. Oneway calls get no answer and are never
 * interrupted. At most {@value #MAX_IN_FLIGHT} calls are in flight (running, or answered and not
 * yet written); beyond that a call is answered RESOURCE_EXHAUSTED at once.
 *
 * <p>Answers are written one at a time, as the transport is ready for them. When the client
 * half-closes, the calls still running are cancelled and the stream ends once they have. When the
 * server stops, or the session has had no call for its idle time, or it is older than its
 * connection may be, new calls are refused with UNAVAILABLE as not run, and the stream ends with
 * UNAVAILABLE once the calls in flight have been answered, saying in a trailer that every call it
 * read was answered (so the client may send the others again). Each call is told to the server's
 * {@link io.ipc4j.core.CallObserver}, if it has one.
 */
final class SessionCall implements StreamObserver<SessionRequest> {
  /** The most calls in flight on one session. */
  static final int MAX_IN_FLIGHT = 256;
  /** The most oneway calls queued on one session; beyond, they are refused and logged. */
  static final int MAX_ONEWAY_QUEUED = 10_000;
  /** The most request bytes the oneway calls of one session hold; beyond, as above. */
  static final long MAX_ONEWAY_QUEUED_BYTES = 64L * 1024 * 1024;
  /** The most answers waiting for the transport, refusals included; beyond, the session ends. */
  static final int MAX_UNSENT = 2 * MAX_IN_FLIGHT;

  private final CallDecoder decoder;
  private final CallRunner runner;
  private final AnswerEncoder answers;
  private final ServerCallStreamObserver<SessionResponse> responses;
  /** The server's call observer, if any. */
  private final ServerObservations observations;
  /** The largest answer the client reads; a larger one is answered with an error instead. */
  private final long maxAnswerBytes;
  /** How long the session may go without a call in flight before it is ended. */
  private final long idleNanos;
  /** When the last call came or ended, by {@link System#nanoTime()}. */
  private volatile long lastActive = System.nanoTime();
  /** The next {@link #checkIdle}; cancelled when the stream ends. */
  private volatile ScheduledFuture<?> idleCheck;
  /** How long the session may live, as its connection may ({@code maxConnectionAge}). */
  private final long maxAgeNanos;
  private final long openedAt = System.nanoTime();
  /**
   * Set under lock by {@link #checkIdle}: why the session ends (no call came for its idle time, or
   * it reached its age); new calls are refused, and it ends once none is left. Null until then.
   */
  private volatile String retiring;
  /** The stream's context, whose values each call's context carries. */
  private final Context session = Context.current();
  /** The calls running, by id. */
  private final Map<Long, Running> running = new ConcurrentHashMap<>();

  /** Guards admitting a call against {@link #stopping}, and the oneway calls' order. */
  private final Object lock = new Object();
  /** Calls running, plus answers of calls not yet written, plus oneway calls queued. */
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Guarded by lock. Of {@link #inFlight}: the oneway calls, which run one after another. */
  private int onewayInFlight;
  /** Guarded by lock. Oneway calls waiting for the one before them to end. */
  private final Queue<Queued> oneway = new ArrayDeque<>();
  /** Guarded by lock. The request bytes of the oneway calls queued or running. */
  private long onewayBytes;
  /** The connection's budget of oneway calls waiting for a thread or running, and the connection. */
  private final ConnectionBudget onewayBudget;
  private final Connection connection;
  /**
   * Answers to write. Threads that answer never wait for each other: each queues its answer, and
   * whoever finds no one writing writes what is queued ({@link #flush}), one at a time.
   */
  private final Queue<Unsent> unsent = new ConcurrentLinkedQueue<>();
  private final AtomicInteger unsentCount = new AtomicInteger();
  /** How many times {@link #flush} was asked for and has not yet looked at the queue. */
  private final AtomicInteger flushes = new AtomicInteger();
  /** The client half-closed: end once no call runs. */
  private volatile boolean halfClosed;
  /** Set under lock. The server is stopping: refuse new calls, end once none is in flight. */
  private volatile boolean stopping;
  /** More refusals wait than {@link #MAX_UNSENT}: the client reads nothing; end the stream. */
  private volatile boolean overflow;
  /** A message could not be read: end the stream with this. */
  private volatile StatusRuntimeException failure;
  /** The stream has ended: nothing more is written. */
  private volatile boolean ended;
  /** The references this session carries, both ways; they end with it. */
  private final SessionReferences references;

  /** A call being run: its id, its context, and whether anyone waits for its answer. */
  private static final class Running {
    final long id;
    /** The reference the call goes to, or empty for the object the request names. */
    final String reference;
    final Context.CancellableContext context;
    /** The size of the call's request: what it holds while it waits for a thread. */
    final long bytes;
    volatile boolean oneway;
    /** Sent as oneway: runs after the session's oneway calls before it. */
    final boolean laned;
    /** Set by the first {@link #finish}: a call ends once. */
    final AtomicBoolean finished = new AtomicBoolean();
    /** Holds one of the connection's oneway calls, given back when the call ends. */
    volatile boolean budgeted;
    /** The call's observation, ended with the call. */
    CallObserver.Observation observation = ServerObservations.NONE;
    /** What the method threw, when its failure is the answer. */
    volatile Throwable thrown;

    Running(long id, String reference, Context.CancellableContext context, long bytes,
        boolean oneway) {
      this.id = id;
      this.reference = reference;
      this.context = context;
      this.bytes = bytes;
      this.oneway = oneway;
      this.laned = oneway;
    }
  }

  /** An answer waiting for the transport; {@code counted} when it holds a place in flight. */
  private record Unsent(SessionResponse response, boolean counted) {}

  /** A oneway call and the task that runs it, waiting for its turn. */
  private record Queued(Running call, Runnable task) {}

  SessionCall(CallDecoder decoder, CallRunner runner, AnswerEncoder answers,
      ServerCallStreamObserver<SessionResponse> responses, long maxAnswerBytes,
      java.time.Duration idle, java.time.Duration maxAge, ConnectionBudget onewayBudget,
      Connection connection, ServerObservations observations, int maxReferences) {
    this.observations = observations;
    this.references = new SessionReferences(this::toClient, maxReferences,
        connection.toString().isBlank() ? "the client" : "client " + connection);
    this.onewayBudget = onewayBudget;
    this.connection = connection;
    this.decoder = decoder;
    this.runner = runner;
    this.answers = answers;
    this.responses = responses;
    this.maxAnswerBytes = maxAnswerBytes;
    this.idleNanos = idle.toNanos();
    this.maxAgeNanos = maxAge == null ? Long.MAX_VALUE : maxAge.toNanos();
    scheduleIdleCheck(Math.min(idleNanos, maxAgeNanos));
  }

  private void scheduleIdleCheck(long delayNanos) {
    idleCheck = StreamCall.Timer.INSTANCE.schedule(this::checkIdle, delayNanos,
        TimeUnit.NANOSECONDS);
  }

  /**
   * Ends the session when no call has been in flight for its idle time, as a connection without
   * calls is closed, or when it is older than its connection may be, so that it follows its client
   * to a new connection: the client sends its next call on a new session.
   */
  private void checkIdle() {
    if (ended) {
      return;
    }
    long now = System.nanoTime();
    long quiet = now - lastActive;
    long age = now - openedAt;
    String why = age >= maxAgeNanos ? "the session reached its maximum age of "
            + TimeUnit.NANOSECONDS.toMillis(maxAgeNanos) + " ms"
        // A session holding references is in use, calls or not.
        : inFlight.get() == 0 && quiet >= idleNanos && references.isEmpty()
            ? "the session ended after "
            + TimeUnit.NANOSECONDS.toMillis(idleNanos) + " ms without calls"
        : null;
    if (why == null) {
      long untilIdle = inFlight.get() > 0 ? idleNanos : idleNanos - Math.max(quiet, 0);
      scheduleIdleCheck(Math.max(Math.min(untilIdle, maxAgeNanos - age), idleNanos / 10));
      return;
    }
    synchronized (lock) {
      retiring = why;
    }
    flush();
  }

  @Override
  public void onNext(SessionRequest message) {
    switch (message.getKindCase()) {
      case CALL -> start(message.getCall());
      case CANCEL -> {
        Running call = running.get(message.getCancel().getId());
        if (call != null && !call.oneway) {
          call.context.cancel(null);
        }
      }
      case ANSWER -> references.answered(message.getAnswer());
      case RELEASE -> references.released(message.getRelease());
      default -> {
        Status malformed = RequestParsing.refusal(message);
        if (malformed != null) { // bytes without a call id to answer: the stream is broken
          failure = StatusProto.toStatusRuntimeException(RequestParsing.refusalStatus(malformed));
          flush();
        } // else a kind this server does not know: nothing to do
      }
    }
  }

  /** Starts one call, on the call pool or (a small NonBlocking one) right here. */
  private void start(SessionRequest.Call message) {
    long id = message.getId();
    InvokeRequest request = message.getRequest();
    if (message.getOneway()) {
      startOneway(message);
      return;
    }
    synchronized (lock) {
      if (ended) {
        return;
      }
      if (stopping || retiring != null) {
        refuse(id, Status.Code.UNAVAILABLE, stopping ? "the server is stopping" : retiring);
        return;
      }
      Status malformed = RequestParsing.refusal(request);
      if (malformed != null) {
        refuse(id, RequestParsing.refusalStatus(malformed));
        return;
      }
      if (running.containsKey(id)) {
        refuse(id, Status.Code.INVALID_ARGUMENT,
            "call id " + id + " is already in flight on this session");
        return;
      }
      if (inFlight.get() - onewayInFlight >= MAX_IN_FLIGHT) {
        refuse(id, Status.Code.RESOURCE_EXHAUSTED, "more than " + MAX_IN_FLIGHT
            + " calls in flight on this session; " + decoder.objectName(request) + "."
            + request.getMethod() + " was not run");
        return;
      }
      inFlight.incrementAndGet();
    }
    lastActive = System.nanoTime();
    Running call = running(message);
    if (call.reference.isEmpty() && decoder.runsInline(request)) {
      call.context.run(() -> run(call, request, true));
    } else {
      hand(call, call.context.wrap(() -> run(call, request, false)));
    }
  }

  /**
   * A call about to run, in a context of its own. It carries the stream's values but is no child
   * of the stream's context (thousands of calls would share one list of listeners there): the end
   * of the stream cancels the calls running through {@link #cancelRunning}.
   */
  private Running running(SessionRequest.Call message) {
    Context base = session.fork();
    Context.CancellableContext context = message.hasTimeout()
        ? base.withDeadlineAfter(nanos(message.getTimeout()), TimeUnit.NANOSECONDS,
            StreamCall.Timer.INSTANCE)
        : base.withCancellation();
    Running call = new Running(message.getId(), message.getReference(), context,
        message.getRequest().getSerializedSize(), message.getOneway());
    if (!call.laned) { // a call sent oneway is never cancelled: its id names nothing
      running.put(call.id, call);
    }
    if (observations.observing()) {
      Function<String, String> metadata = key -> CallMetadata.read(message, key);
      call.observation = call.reference.isEmpty()
          ? observations.start(message.getRequest(), "Session", call.oneway
              || decoder.namesOnewayMethod(message.getRequest()), metadata)
          : observations.startReference(references.exportedOrNull(call.reference),
              message.getRequest(), "Session", call.oneway, metadata);
    }
    return call;
  }

  /**
   * Runs {@code task} of {@code call} on the call pool, within the server's bounds on calls
   * waiting for a thread; else ends the call with the status the pool gave.
   */
  private void hand(Running call, Runnable task) {
    Status refused = tryHand(call, task);
    if (refused != null) {
      finish(call, error(call.id, refused.getCode(), refused.getDescription()));
    }
  }

  /**
   * {@link CallRunner#tryHand}; a call sent oneway first takes one of its connection's oneway
   * calls, as a oneway {@code Invoke} does.
   */
  private Status tryHand(Running call, Runnable task) {
    if (call.laned) {
      String refused = onewayBudget.acquire(connection);
      if (refused != null) {
        runner.refused("refused oneway calls", "refused oneway session call from " + connection
            + ": " + refused);
        return Status.RESOURCE_EXHAUSTED.withDescription(refused);
      }
      call.budgeted = true;
    }
    return runner.tryHand(task, call.bytes);
  }

  /**
   * Starts a oneway call, or queues it behind the session's oneway calls still running: they run
   * one after another, in the order they came, as a client's oneway calls do over {@code Invoke}.
   */
  private void startOneway(SessionRequest.Call message) {
    InvokeRequest request = message.getRequest();
    Status malformed = RequestParsing.refusal(request);
    long bytes = request.getSerializedSize();
    String refused;
    synchronized (lock) {
      if (ended) {
        return;
      }
      refused = stopping ? "the server is stopping"
          : retiring != null ? retiring
          : malformed != null ? malformed.getDescription()
          : oneway.size() >= MAX_ONEWAY_QUEUED ? "more than " + MAX_ONEWAY_QUEUED
              + " oneway calls queued on this session"
          : onewayBytes + bytes > MAX_ONEWAY_QUEUED_BYTES ? "more than "
              + MAX_ONEWAY_QUEUED_BYTES + " bytes of oneway calls queued on this session"
          : null;
      if (refused == null) {
        inFlight.incrementAndGet();
        onewayInFlight++;
        onewayBytes += bytes;
      }
    }
    if (refused != null) {
      runner.refused("refused oneway calls", "refused oneway call " + LogText.name(
          decoder.objectName(request)) + "." + LogText.name(request.getMethod()) + " from "
          + connection + ": " + refused);
      return;
    }
    Running call = running(message);
    Runnable task = call.context.wrap(() -> run(call, request, false));
    synchronized (lock) {
      if (onewayInFlight > 1) {
        oneway.add(new Queued(call, task));
        return;
      }
    }
    hand(call, task);
  }

  private static long nanos(Duration timeout) {
    return Math.max(0, Math.addExact(TimeUnit.SECONDS.toNanos(timeout.getSeconds()),
        timeout.getNanos()));
  }

  /** Decodes, runs and answers one call, with its context current. */
  private void run(Running call, InvokeRequest request, boolean inline) {
    ExposedObject target;
    try {
      target = call.reference.isEmpty() ? null : references.exported(call.reference);
    } catch (CallException e) {
      fail(call, "reference", request.getMethod(), e);
      return;
    }
    String objectName = target != null ? target.name : decoder.objectName(request);
    try {
      CallDecoder.Decoded decoded = decoder.decode(request, target, references);
      ExposedObject object = decoded.object();
      ExposedObject.Call method = decoded.call();
      call.oneway |= method.method().oneway;
      if (!call.oneway && call.context.isCancelled()) {
        finish(call, null); // the caller gave up while the call waited for a thread
        return;
      }
      Object result;
      try (CallObserver.Scope scope = call.observation.enter()) {
        result = runner.run(object, method, !call.oneway && !inline);
      }
      if (method.method().streaming) {
        // As Invoke answers it: all the items in one list.
        InvokeResponse items = answers.collect(object, method, result, request,
            decoded.serializer());
        finish(call, call.laned ? null : answerOf(call, objectName, request, items));
      } else if (result instanceof CompletionStage<?> stage) {
        if (stage instanceof Future<?> future && !call.oneway) {
          call.context.addListener(c -> future.cancel(true), runner::cleanUp);
        }
        stage.whenComplete((value, failure) -> {
          if (failure != null) {
            Throwable thrown = failure instanceof CompletionException
                || failure instanceof ExecutionException ? failure.getCause() : failure;
            fail(call, objectName, request.getMethod(),
                RemoteFailure.of(object, method, thrown == null ? failure : thrown, 0));
          } else {
            answer(call, objectName, decoded, value);
          }
        });
      } else {
        answer(call, objectName, decoded, result);
      }
    } catch (CallException e) {
      fail(call, objectName, request.getMethod(), e);
    } catch (RuntimeException | Error e) {
      finish(call, error(call.id, Status.Code.INTERNAL, "the call failed: " + e));
      throw e;
    }
  }

  private void answer(Running call, String objectName, CallDecoder.Decoded decoded,
      Object result) {
    if (call.laned) { // sent as oneway; an @Oneway method called by a waiting caller is answered
      finish(call, null);
      return;
    }
    InvokeResponse answer;
    try {
      Class<?> remote = decoded.call().method().remoteResult;
      answer = remote == null ? answers.encodeAnswer(objectName, decoded.request(),
              decoded.serializer(), decoded.call(), result)
          : answers.encodeAnswer(objectName, decoded.request(), decoded.serializer(),
              result == null ? null : references.export(result, remote), String.class);
    } catch (CallException e) {
      fail(call, objectName, decoded.request().getMethod(), e);
      return;
    }
    finish(call, answerOf(call, objectName, decoded.request(), answer));
  }

  /**
   * The message answering {@code call} with {@code answer}; an error instead when the answer is
   * larger than the client reads, which would otherwise end the session and all its calls.
   */
  private SessionResponse answerOf(Running call, String objectName, InvokeRequest request,
      InvokeResponse answer) {
    int size = answer.getSerializedSize();
    if (size > maxAnswerBytes) {
      // The words grpc uses when a client refuses an answer of Invoke.
      return SessionResponse.newBuilder().setId(call.id).setError(com.google.rpc.Status
          .newBuilder().setCode(Status.Code.RESOURCE_EXHAUSTED.value()).setMessage(
              "gRPC message exceeds maximum size " + maxAnswerBytes + ": " + size)).build();
    }
    return SessionResponse.newBuilder().setId(call.id).setAnswer(answer).build();
  }

  private void fail(Running call, String objectName, String method, CallException e) {
    boolean cancelled = !call.oneway && call.context.isCancelled();
    com.google.rpc.Status status = answers.status(objectName, method, e, call.oneway, cancelled);
    call.thrown = e.thrown;
    finish(call, status == null || call.laned ? null
        : SessionResponse.newBuilder().setId(call.id).setError(status).build());
  }

  /**
   * Ends {@code call}: its context is released, and {@code response} (null for none) is queued
   * unless the call was cancelled.
   */
  private void finish(Running call, SessionResponse response) {
    for (Queued next = release(call, response); next != null; ) {
      // one loop, not recursion: thousands of queued oneway calls may be refused in a row
      next = tryHand(next.call, next.task) == null ? null : release(next.call, null);
    }
  }

  /** {@link #finish}'s work, but for the next oneway call to hand, which it answers. */
  private Queued release(Running call, SessionResponse response) {
    if (!call.finished.compareAndSet(false, true)) {
      return null;
    }
    running.remove(call.id, call);
    if (call.budgeted) {
      onewayBudget.release(connection);
    }
    lastActive = System.nanoTime();
    boolean cancelled = call.context.isCancelled();
    call.context.cancel(null);
    observed(call, response, cancelled);
    Queued next = null;
    if (call.laned) {
      synchronized (lock) {
        onewayInFlight--;
        onewayBytes -= call.bytes;
        next = oneway.poll();
      }
    }
    if (response != null && !cancelled && !ended && !call.laned) {
      unsentCount.incrementAndGet();
      unsent.add(new Unsent(response, true));
    } else {
      inFlight.decrementAndGet();
    }
    flush();
    return next;
  }

  /** Ends the observation of {@code call}, which ends with {@code response} (null for none). */
  private static void observed(Running call, SessionResponse response, boolean cancelled) {
    if (call.observation == ServerObservations.NONE) {
      return;
    }
    if (cancelled && !call.oneway) {
      call.observation.end(Status.Code.CANCELLED.name(), null, null, 0);
    } else if (response != null && response.hasError()) {
      ServerObservations.end(call.observation, response.getError(), call.thrown, 0);
    } else {
      ServerObservations.end(call.observation, null, null,
          response == null ? 0 : response.getAnswer().getSerializedSize());
    }
  }

  /** Answers call {@code id} with {@code code} before it runs; it holds no place in flight. */
  private void refuse(long id, Status.Code code, String message) {
    refuse(id, error(id, code, message).getError());
  }

  private void refuse(long id, com.google.rpc.Status status) {
    unsent.add(new Unsent(SessionResponse.newBuilder().setId(id).setError(status).setNotRun(true)
        .build(), false));
    if (unsentCount.incrementAndGet() > MAX_UNSENT) {
      overflow = true;
    }
    flush();
  }

  private static SessionResponse error(long id, Status.Code code, String message) {
    return SessionResponse.newBuilder().setId(id).setError(com.google.rpc.Status.newBuilder()
        .setCode(code.value()).setMessage(message)).build();
  }

  /**
   * Writes what the transport takes now, unless another thread is at it (it then writes this too);
   * ends the stream when nothing is left to do. grpc calls it too when the transport is ready.
   */
  void flush() {
    if (flushes.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      if (!ended) {
        write();
      }
      missed = flushes.addAndGet(-missed);
    } while (missed != 0);
  }

  /** {@link #flush}'s work, on one thread at a time. */
  private void write() {
    if (failure != null) {
      end(failure);
      return;
    }
    if (overflow) {
      end(Status.RESOURCE_EXHAUSTED.withDescription("more than " + MAX_UNSENT
          + " answers wait for the client to read them"));
      return;
    }
    for (Unsent next; responses.isReady() && (next = unsent.poll()) != null; ) {
      unsentCount.decrementAndGet();
      if (next.counted) {
        inFlight.decrementAndGet();
      }
      responses.onNext(next.response);
    }
    if (!unsent.isEmpty() || inFlight.get() > 0) {
      return;
    }
    if (stopping) {
      endDrained("the server is stopping");
    } else if (retiring != null) {
      endDrained(retiring);
    } else if (halfClosed) {
      setEnded("the client closed its session");
      responses.onCompleted();
    }
  }

  /**
   * Ends the stream with UNAVAILABLE once every call read has been answered, saying so in a
   * trailer: the client may send again a call that got no answer, since no method saw it.
   */
  private void endDrained(String why) {
    Metadata trailers = new Metadata();
    trailers.put(WireHeaders.SESSION_DRAINED, "1");
    setEnded(why);
    if (!responses.isCancelled()) {
      responses.onError(Status.UNAVAILABLE.withDescription(why).asRuntimeException(trailers));
    }
  }

  /** Ends the stream with {@code status}; the calls still running are cancelled. */
  private void end(Status status) {
    end(status.asRuntimeException());
  }

  private void end(StatusRuntimeException status) {
    setEnded(status.getStatus().getDescription());
    if (!responses.isCancelled()) {
      responses.onError(status);
    }
    cancelRunning();
  }

  /**
   * Nothing more is written; the idle check is dropped, and the session's references end for
   * {@code why}.
   */
  private void setEnded(String why) {
    ended = true;
    ScheduledFuture<?> check = idleCheck;
    if (check != null) {
      check.cancel(false);
    }
    references.end("the session ended: " + why);
  }

  /**
   * Queues {@code message}, a call to one of the client's objects (or its cancel, or a release),
   * to be written with the answers; false, and not queued, for a call while {@value
   * #MAX_ONEWAY_QUEUED} messages wait for a client that reads too slowly.
   */
  private boolean toClient(SessionResponse message) {
    if (ended) {
      return true; // the references have ended: their calls fail by themselves
    }
    if (message.hasCall() && unsentCount.get() >= MAX_ONEWAY_QUEUED) {
      return false;
    }
    unsentCount.incrementAndGet();
    unsent.add(new Unsent(message, false));
    flush();
    return true;
  }

  /** Cancels every call still running, except oneway ones, which are never interrupted. */
  private void cancelRunning() {
    for (Running call : List.copyOf(running.values())) {
      if (!call.oneway) {
        call.context.cancel(null);
      }
    }
  }

  /** The references this session holds now; see {@link SessionReferences#describe()}. */
  List<String> references() {
    return references.describe();
  }

  /** The server is stopping: new calls are refused, and the stream ends once none is left. */
  void stop() {
    synchronized (lock) {
      stopping = true;
    }
    flush();
  }

  /** The client cancelled or went away: nothing more is written, the calls are cancelled. */
  void cancelled() {
    setEnded("the client went away");
    cancelRunning();
  }

  @Override
  public void onError(Throwable t) {
    cancelled();
  }

  /** The client sends no more calls: those still running are cancelled, then the stream ends. */
  @Override
  public void onCompleted() {
    halfClosed = true;
    cancelRunning();
    flush();
  }
}
