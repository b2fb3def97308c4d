package io.ipc4j.server;

import com.google.protobuf.Duration;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.ipc4j.client.InternalClient;
import io.ipc4j.core.ErrorReason;
import io.ipc4j.core.internal.PeerLink;
import io.ipc4j.core.internal.ReferenceExports;
import io.ipc4j.core.internal.RemoteTypes;
import io.ipc4j.core.internal.Serializer;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.Release;
import io.ipc4j.proto.v1.SessionRequest;
import io.ipc4j.proto.v1.SessionResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The references of one session, both ways: objects the server's methods returned as a {@code
 * @Remote} interface (exports, which the client calls by id), and proxies of the objects the
 * client passed to {@code @Remote} parameters (imports, which call the client back over this
 * session). Ids are random and live in this table only, so a client can reach no other session's
 * objects, and only through the interface they were passed as. Everything ends with the session:
 * its exports are dropped and closed, its imports fail as unavailable.
 */
final class SessionReferences implements PeerLink {
  /** How long a call to a client's object may take, unless its caller's deadline is nearer. */
  static final java.time.Duration CALL_DEADLINE = java.time.Duration.ofSeconds(30);
  private static final AtomicInteger releaseThreads = new AtomicInteger();
  /** Closes released objects, off the transport's thread: a close() may block. */
  private static final Executor CLOSER = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60,
      TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "ipc4j-release-" + releaseThreads.incrementAndGet());
        t.setDaemon(true);
        return t;
      });

  /**
   * The methods of each class given out through each interface, found once for every session
   * (not at each object given out, which would also log a refused method each time).
   */
  private static final ClassValue<Map<Class<?>, ExposedObject.Methods>> METHODS =
      new ClassValue<>() {
        @Override
        protected Map<Class<?>, ExposedObject.Methods> computeValue(Class<?> implementation) {
          return new ConcurrentHashMap<>();
        }
      };

  /** {@code value} as the client may call it: through {@code iface}'s methods only. */
  private static ExposedObject exposed(Object value, Class<?> iface) {
    ExposedObject.Methods methods = METHODS.get(value.getClass()).computeIfAbsent(iface,
        i -> ExposedObject.Methods.of(i.getSimpleName(), i, value.getClass()));
    return new ExposedObject(iface.getSimpleName(), value, iface, Concurrency.CONCURRENT,
        methods);
  }

  /** Sends a message to the client on the session; false when a call cannot be queued. */
  private final Predicate<SessionResponse> send;
  private final int maxReferences;
  private final String peer;
  private final Object lock = new Object();
  /** Guarded by lock. Objects the client may call, by id. */
  private final ReferenceExports<ExposedObject> exports = new ReferenceExports<>();
  /** Guarded by lock. The proxies of the client's objects, by id: one per reference. */
  private final InternalClient.ReferenceImports imports;
  /** Guarded by lock. Why the session ended, once it has. */
  private String ended;
  private final AtomicLong ids = new AtomicLong();
  /** The server's calls to the client's objects waiting for answers, by id. */
  private final Map<Long, CompletableFuture<InvokeResponse>> pending = new ConcurrentHashMap<>();


  SessionReferences(Predicate<SessionResponse> send, int maxReferences, String peer) {
    this.send = send;
    this.maxReferences = maxReferences;
    this.peer = peer;
    this.imports = new InternalClient.ReferenceImports(this, CALL_DEADLINE);
  }

  /**
   * The references the session holds now, each as its interface and whose object it is: {@code
   * Counter (returned to client /127.0.0.1:5123)}, {@code Listener (passed by client …)}.
   */
  List<String> describe() {
    List<String> held = new ArrayList<>();
    Map<String, Long> collected;
    synchronized (lock) {
      collected = imports.collected();
      exports.values().forEach(o -> held.add(o.type.getSimpleName() + " (returned to " + peer
          + ")"));
      imports.interfaces().forEach(name -> held.add(name + " (passed by " + peer + ")"));
    }
    collected.forEach(this::sendRelease);
    return held;
  }

  /** Whether the session holds no reference, either way. */
  boolean isEmpty() {
    synchronized (lock) {
      return exports.size() == 0 && imports.size() == 0;
    }
  }

  /**
   * The proxy of the client's object that {@code argument} names, calling it back over this
   * session; the same proxy for the same reference, so that a listener passed twice is equal.
   *
   * @throws CallException BAD_ARGUMENTS for an id passed before as another interface,
   *     RESOURCE_EXHAUSTED when the session holds its most references
   */
  Object imported(ReferenceArgument argument, Serializer serializer) throws CallException {
    Object proxy;
    String why;
    Map<String, Long> collected;
    synchronized (lock) {
      collected = imports.collected();
      ExposedObject own = exports.get(argument.id()); // the server's own object, passed back
      proxy = own != null ? own.target : imports.get(argument.id());
      if (proxy != null && !argument.iface().isInstance(proxy)) {
        throw new CallException(ErrorReason.BAD_ARGUMENTS, "argument '" + argument.parameter()
            + "': reference " + RemoteTypes.shortId(argument.id()) + " was passed as another"
            + " interface than " + argument.iface().getName());
      }
      if (proxy == null) {
        checkRoom();
        proxy = imports.add(argument.id(), argument.iface(), serializer);
        why = ended;
      } else {
        why = null;
      }
    }
    collected.forEach(this::sendRelease);
    if (why != null) {
      InternalClient.endReference(proxy, why);
    }
    return proxy;
  }

  /**
   * The id that gives the client {@code value} as {@code iface}: the same for the same object and
   * interface while the session holds it.
   *
   * @throws CallException RESOURCE_EXHAUSTED when the session holds its most references
   */
  String export(Object value, Class<?> iface) throws CallException {
    String own = InternalClient.ownId(value, this);
    if (own != null) { // the client's own object, handed back: the client gets the object
      return own;
    }
    String id;
    Map<String, Long> collected;
    synchronized (lock) {
      if (ended != null) { // the answer is never sent: nothing may hold the object
        CLOSER.execute(exposed(value, iface)::close);
        return RemoteTypes.newId();
      }
      collected = imports.collected();
      if (exports.idOf(value, iface) == null) {
        checkRoom();
      }
      id = exports.give(value, iface, () -> exposed(value, iface));
    }
    collected.forEach(this::sendRelease);
    return id;
  }

  private void checkRoom() throws CallException {
    if (exports.size() + imports.size() >= maxReferences) {
      throw new CallException(ErrorReason.BAD_ARGUMENTS, Status.Code.RESOURCE_EXHAUSTED,
          "the session holds " + maxReferences + " references, its most; release some"
              + " (RemoteReference.release)");
    }
  }

  /**
   * The object the client calls by {@code id}.
   *
   * @throws CallException NO_SUCH_OBJECT when this session holds no such reference: released,
   *     made up, or another session's, which all look the same
   */
  ExposedObject exported(String id) throws CallException {
    ExposedObject object;
    synchronized (lock) {
      object = exports.get(id);
    }
    if (object == null) {
      throw new CallException(ErrorReason.NO_SUCH_OBJECT, "no reference '"
          + RemoteTypes.shortId(id) + "' on this session: it was released, or never given to it");
    }
    return object;
  }

  /** The object the client calls by {@code id}, or null. */
  ExposedObject exportedOrNull(String id) {
    synchronized (lock) {
      return exports.get(id);
    }
  }

  /** The client released references: their objects are dropped, and closed. */
  void released(Release release) {
    List<ExposedObject> dropped;
    synchronized (lock) {
      dropped = exports.release(release);
    }
    for (ExposedObject object : dropped) {
      CLOSER.execute(object::close);
    }
  }

  /** The client answered a call the server made to one of its objects. */
  void answered(SessionResponse answer) {
    CompletableFuture<InvokeResponse> call = pending.remove(answer.getId());
    if (call == null) {
      return; // cancelled, or an id the server never sent
    }
    if (answer.hasError()) {
      call.completeExceptionally(StatusProto.toStatusRuntimeException(answer.getError()));
    } else {
      call.complete(answer.getAnswer());
    }
  }

  /**
   * The session ended for {@code why}: the client's objects can no longer be called, the calls
   * waiting for them fail as unavailable, and the objects given to the client are dropped and
   * closed.
   */
  void end(String why) {
    List<Object> proxies;
    List<ExposedObject> dropped;
    synchronized (lock) {
      if (ended != null) {
        return;
      }
      ended = why;
      proxies = imports.clear();
      dropped = exports.clear();
    }
    for (Object proxy : proxies) {
      InternalClient.endReference(proxy, why);
    }
    StatusRuntimeException failure = Status.UNAVAILABLE.withDescription(why).asRuntimeException();
    for (Long id : List.copyOf(pending.keySet())) {
      CompletableFuture<InvokeResponse> call = pending.remove(id);
      if (call != null) {
        call.completeExceptionally(failure);
      }
    }
    for (ExposedObject object : dropped) {
      CLOSER.execute(object::close);
    }
  }

  // PeerLink: the server's calls to the client's objects.

  @Override
  public CompletableFuture<InvokeResponse> call(String reference, InvokeRequest request,
      long timeoutNanos) {
    long id = ids.incrementAndGet();
    CompletableFuture<InvokeResponse> answer = new CompletableFuture<>() {
      @Override
      public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled && pending.remove(id) != null) {
          send.test(SessionResponse.newBuilder().setCancel(
              SessionRequest.Cancel.newBuilder().setId(id)).build());
        }
        return cancelled;
      }
    };
    pending.put(id, answer);
    String why;
    synchronized (lock) {
      why = ended;
    }
    if (why != null) {
      pending.remove(id);
      answer.completeExceptionally(Status.UNAVAILABLE.withDescription(why).asRuntimeException());
      return answer;
    }
    if (!send.test(SessionResponse.newBuilder().setCall(message(id, reference, request, false,
        timeoutNanos)).build())) {
      pending.remove(id);
      answer.completeExceptionally(backlog());
    }
    return answer;
  }

  @Override
  public void callOneway(String reference, InvokeRequest request) {
    if (!send.test(SessionResponse.newBuilder().setCall(message(ids.incrementAndGet(), reference,
        request, true, 0)).build())) {
      throw backlog();
    }
  }

  /** Why a call to the client was not sent: it does not read what waits for it. */
  private StatusRuntimeException backlog() {
    return Status.RESOURCE_EXHAUSTED.withDescription("more than "
        + SessionCall.MAX_ONEWAY_QUEUED + " messages wait for " + peer + " to read them")
        .asRuntimeException();
  }

  private static SessionRequest.Call message(long id, String reference, InvokeRequest request,
      boolean oneway, long timeoutNanos) {
    SessionRequest.Call.Builder call = SessionRequest.Call.newBuilder().setId(id)
        .setReference(reference).setRequest(request).setOneway(oneway);
    if (timeoutNanos > 0) {
      call.setTimeout(Duration.newBuilder().setSeconds(timeoutNanos / 1_000_000_000L)
          .setNanos((int) (timeoutNanos % 1_000_000_000L)));
    }
    return call.build();
  }

  @Override
  public void release(String reference) {
    long received;
    synchronized (lock) {
      received = imports.remove(reference);
    }
    if (received > 0) {
      sendRelease(reference, received);
    }
  }

  /**
   * Tells the client the server calls {@code reference} no more; {@code received} messages
   * carried it here.
   */
  private void sendRelease(String reference, long received) {
    send.test(SessionResponse.newBuilder().setRelease(Release.newBuilder()
        .addReferences(reference).addReceived(received)).build());
  }

  @Override
  public String peer() {
    return peer;
  }
}
