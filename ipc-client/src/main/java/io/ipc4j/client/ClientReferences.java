package io.ipc4j.client;

import io.grpc.Status;
import io.ipc4j.core.ErrorReason;
import io.ipc4j.core.Limits;
import io.ipc4j.core.internal.CallMetadata;
import io.ipc4j.core.internal.JsonValues;
import io.ipc4j.core.internal.PeerLink;
import io.ipc4j.core.internal.ReferenceExports;
import io.ipc4j.core.internal.RemoteErrors;
import io.ipc4j.core.internal.RemoteTypes;
import io.ipc4j.core.internal.ReturnTypes;
import io.ipc4j.core.internal.SerializationException;
import io.ipc4j.core.internal.Serializer;
import io.ipc4j.core.internal.Serializers;
import io.ipc4j.core.internal.Throwables;
import io.ipc4j.core.internal.TypeNames;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import io.ipc4j.proto.v1.Payload;
import io.ipc4j.proto.v1.Release;
import io.ipc4j.proto.v1.SessionRequest;
import io.ipc4j.proto.v1.SessionResponse;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The references of one client session, both ways: the client's objects it passed to the server
 * (exports, which the server calls back), and the server's objects it holds proxies of (imports).
 * Calls from the server run on the client's {@link CallbackPool}, never on the transport thread;
 * oneway ones one after another, in the order they came. Everything ends with the session.
 */
final class ClientReferences implements PeerLink {
  private static final Logger logger = Logger.getLogger(IpcClient.class.getName());

  /** What the references of a client's sessions share. */
  record Settings(Serializers serializers, Serializer serializer, Duration deadline,
      int maxReferences, String target, CallbackPool pool, Limits limits) {}

  private final Session session;
  private final Settings settings;
  private final Object lock = new Object();
  /** Guarded by lock. The client's objects the server may call, by id. */
  private final ReferenceExports<Export> exports = new ReferenceExports<>();
  /** Guarded by lock. The proxies of the server's objects, by id: one proxy per reference. */
  private final InternalClient.ReferenceImports imports;
  /** Guarded by lock. Why the session ended, once it has. */
  private String ended;
  /** Guarded by lock. What ended the session, the cause of the failures that say so. */
  private Throwable endedBy;
  /** Calls from the server running or waiting for a thread, by id; cancelled by id. */
  private final Map<Long, Callback> running = new ConcurrentHashMap<>();
  /** The server's oneway calls, run one after another. */
  private final CallbackPool.Lane oneway;

  /** An object passed by reference, and the interface it was passed as. */
  private record Export(Object target, Class<?> iface) {}


  ClientReferences(Session session, Settings settings) {
    this.session = session;
    this.settings = settings;
    this.oneway = settings.pool().lane();
    this.imports = new InternalClient.ReferenceImports(this, settings.deadline());
  }

  /**
   * The id that passes {@code target} as {@code iface} on this session: the same for the same
   * object and interface, so that the server can tell a listener it was given before.
   *
   * @throws IpcException when the session has ended, or holds {@code maxReferences} already
   */
  String export(Object target, Class<?> iface, String call) {
    String own = InternalClient.ownId(target, this);
    if (own != null) { // the server's own object, passed back: the server gets the object
      return own;
    }
    String id;
    Map<String, Long> collected;
    synchronized (lock) {
      if (ended != null) {
        throw new IpcUnavailableException("cannot pass a reference: " + ended
            + " (" + call + ")", Status.Code.UNAVAILABLE, null, endedBy);
      }
      collected = imports.collected();
      if (exports.idOf(target, iface) == null) {
        checkRoom(call);
      }
      id = exports.give(target, iface, () -> new Export(target, iface));
    }
    collected.forEach(session::sendRelease);
    return id;
  }

  /**
   * The proxy of the server's object {@code id}, passed as {@code iface}: one per reference.
   *
   * @throws IpcException when {@code id} is no reference id, or this session holds {@code
   *     maxReferences} already
   */
  Object imported(String id, Class<?> iface, String call) {
    if (id.length() != RemoteTypes.ID_LENGTH) {
      throw new IpcException("the server answered '" + RemoteTypes.shortId(id) + "', which is no"
          + " reference (" + call + ")", Status.Code.INTERNAL, null, null);
    }
    Object proxy;
    String why;
    Map<String, Long> collected;
    synchronized (lock) {
      collected = imports.collected();
      Export own = exports.get(id); // the client's own object, handed back by the server
      proxy = own != null && iface.isInstance(own.target) ? own.target : imports.get(id);
      why = null;
      if (proxy == null || !iface.isInstance(proxy)) {
        if (proxy == null) {
          checkRoom(call);
        }
        proxy = imports.add(id, iface, settings.serializer());
        why = ended;
      }
    }
    collected.forEach(session::sendRelease);
    if (why != null) {
      InternalClient.endReference(proxy, why);
    }
    return proxy;
  }

  private void checkRoom(String call) {
    int max = settings.maxReferences();
    if (exports.size() + imports.size() >= max) {
      throw new IpcException("more than " + max + " references on this session; release some"
          + " (RemoteReference.release) or raise IpcClient.Builder.maxReferences (" + call + ")",
          Status.Code.RESOURCE_EXHAUSTED, null, null);
    }
  }

  /** How many references the session holds, both ways. */
  int size() {
    synchronized (lock) {
      return exports.size() + imports.size();
    }
  }

  // PeerLink: calls to the server's objects.

  @Override
  public CompletableFuture<InvokeResponse> call(String reference, InvokeRequest request,
      long timeoutNanos) {
    return session.call(request, timeoutNanos, CallMetadata.NONE, reference);
  }

  @Override
  public void callOneway(String reference, InvokeRequest request) {
    session.callOneway(request, CallMetadata.NONE, reference);
  }

  @Override
  public void release(String reference) {
    long received;
    synchronized (lock) {
      received = imports.remove(reference);
    }
    if (received > 0) {
      session.sendRelease(reference, received);
    }
  }

  @Override
  public String peer() {
    return settings.target();
  }

  // Calls from the server to the client's objects.

  /** The server released references: it calls them no more. */
  void released(Release release) {
    synchronized (lock) {
      exports.release(release);
    }
  }

  /** The server calls one of the client's objects. */
  void called(SessionRequest.Call call) {
    Export export;
    synchronized (lock) {
      export = ended == null ? exports.get(call.getReference()) : null;
    }
    long id = call.getId();
    if (export == null) {
      if (!call.getOneway()) {
        answer(id, RemoteErrors.status(ErrorReason.NO_SUCH_OBJECT, "no reference '"
            + RemoteTypes.shortId(call.getReference()) + "' on this session: it was released,"
            + " or never passed on it", Map.of(), null, false));
      }
      return;
    }
    if (call.getOneway()) {
      if (!oneway.submit(() -> run(export, call))) {
        logger.warning("dropped a oneway call of " + export.iface.getName() + "."
            + call.getRequest().getMethod() + ": more than " + CallbackPool.MAX_QUEUED
            + " wait to run");
      }
      return;
    }
    Callback task = new Callback(id, () -> run(export, call));
    running.put(id, task);
    try {
      settings.pool().execute(task);
    } catch (RejectedExecutionException e) {
      running.remove(id);
      answer(id, com.google.rpc.Status.newBuilder()
          .setCode(Status.Code.RESOURCE_EXHAUSTED.value()).setMessage(e.getMessage()).build());
      return;
    }
    if (call.hasTimeout()) {
      long nanos = TimeUnit.SECONDS.toNanos(call.getTimeout().getSeconds())
          + call.getTimeout().getNanos();
      task.timer = SessionAnswers.TIMER.schedule(() -> cancelled(id), nanos,
          TimeUnit.NANOSECONDS);
      if (task.isDone()) { // it ended before its timer was set
        task.timer.cancel(false);
      }
    }
  }

  /**
   * A call from the server, run on the pool: cancelled by its id (interrupting it, or keeping it
   * from starting) or by its timer; when it ends, it leaves {@link #running} and its timer goes.
   */
  private final class Callback extends FutureTask<Void> {
    final long id;
    volatile ScheduledFuture<?> timer;

    Callback(long id, Runnable run) {
      super(run, null);
      this.id = id;
    }

    @Override
    protected void done() {
      running.remove(id, this);
      ScheduledFuture<?> t = timer;
      if (t != null) {
        t.cancel(false);
      }
    }
  }

  /** The server gave up on call {@code id}: it is interrupted, or never starts. */
  void cancelled(long id) {
    Callback task = running.remove(id);
    if (task != null) {
      task.cancel(true);
    }
  }

  /** Runs one call from the server and answers it, unless it is oneway. */
  private void run(Export export, SessionRequest.Call call) {
    InvokeRequest request = call.getRequest();
    String name = export.iface.getSimpleName() + "." + request.getMethod();
    Method method;
    Serializer serializer;
    Object[] args;
    try {
      method = method(export.iface, request);
      serializer = serializerOf(request);
      args = arguments(method, request, serializer, name);
    } catch (Refusal r) {
      finish(call, name, RemoteErrors.status(r.reason, r.getMessage(), metadata(export, request),
          null, false));
      return;
    }
    Object result;
    try {
      result = method.invoke(export.target, args);
    } catch (InvocationTargetException e) {
      Throwable thrown = e.getCause();
      finish(call, name, thrown(export, request, name, thrown,
          Throwables.framesBelow(thrown, new Throwable().getStackTrace(), c -> false)));
      return;
    } catch (IllegalAccessException | RuntimeException e) {
      finish(call, name, thrown(export, request, name, e, 0));
      return;
    }
    if (result instanceof CompletionStage<?> stage) {
      stage.whenComplete((value, failure) -> {
        if (failure != null) {
          Throwable thrown = failure instanceof CompletionException
              || failure instanceof ExecutionException ? failure.getCause() : failure;
          finish(call, name, thrown(export, request, name, thrown, 0));
        } else {
          answer(call, export, method, serializer, value, name);
        }
      });
    } else {
      answer(call, export, method, serializer, result, name);
    }
  }

  private void answer(SessionRequest.Call call, Export export, Method method,
      Serializer serializer, Object result, String name) {
    if (call.getOneway()) {
      return;
    }
    Type type = ReturnTypes.of(method, export.target.getClass(), false).result();
    com.google.rpc.Status failure;
    if (RemoteTypes.remoteInterface(type) != null) {
      failure = RemoteErrors.status(ErrorReason.RESULT_NOT_SERIALIZABLE, name
          + " returns a @Remote " + type.getTypeName() + ", which a callback cannot return",
          Map.of(), null, false);
    } else {
      try {
        session.sendAnswer(SessionResponse.newBuilder().setId(call.getId()).setAnswer(
            InvokeResponse.newBuilder().setPayload(Payload.newBuilder()
                .setSerializer(serializer.name())
                .setData(serializer.writeValueBytes(result, type)))).build());
        return;
      } catch (RuntimeException e) {
        failure = RemoteErrors.status(ErrorReason.RESULT_NOT_SERIALIZABLE, "the result of " + name
            + " cannot be sent: " + Throwables.messageOf(e), Map.of(), null, false);
      }
    }
    finish(call, name, failure);
  }

  /** Answers {@code call} with {@code failure}; a oneway call's failure is logged instead. */
  private void finish(SessionRequest.Call call, String name, com.google.rpc.Status failure) {
    if (call.getOneway()) {
      logger.log(Level.WARNING, "oneway call " + name + " from the server failed: "
          + failure.getMessage());
      return;
    }
    answer(call.getId(), failure);
  }

  private void answer(long id, com.google.rpc.Status failure) {
    session.sendAnswer(SessionResponse.newBuilder().setId(id).setError(failure).build());
  }

  private static com.google.rpc.Status thrown(Export export, InvokeRequest request, String name,
      Throwable thrown, int framesToDrop) {
    Map<String, String> metadata = metadata(export, request);
    metadata.put("exception", thrown.getClass().getName());
    String message = Throwables.messageOf(thrown);
    return RemoteErrors.status(ErrorReason.REMOTE_EXCEPTION, name + " threw "
        + thrown.getClass().getName() + (message.isEmpty() ? "" : ": " + message), metadata,
        thrown, true, framesToDrop);
  }

  private static Map<String, String> metadata(Export export, InvokeRequest request) {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("object", export.iface.getName());
    metadata.put("method", request.getMethod());
    return metadata;
  }

  /** A call that cannot run, with the reason to answer. */
  private static final class Refusal extends Exception {
    final ErrorReason reason;

    Refusal(ErrorReason reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }
  }

  /** The method of {@code iface} the request names, by name, arity and parameter types. */
  private static Method method(Class<?> iface, InvokeRequest request) throws Refusal {
    int arity = request.hasPayload() ? -1 : request.getArgs().getValuesCount();
    List<Method> named = new ArrayList<>();
    for (Method m : iface.getMethods()) {
      if (m.getName().equals(request.getMethod()) && !Modifier.isStatic(m.getModifiers())
          && !m.isDefault() && m.getDeclaringClass() != Object.class) {
        named.add(m);
      }
    }
    List<String> types = request.getParameterTypesList();
    List<Method> fitting = named.stream().filter(m -> types.isEmpty()
        ? arity < 0 || m.getParameterCount() == arity : matches(m, types)).toList();
    if (fitting.size() == 1) {
      return fitting.get(0);
    }
    if (named.isEmpty()) {
      throw new Refusal(ErrorReason.NO_SUCH_METHOD, "no method '" + request.getMethod()
          + "' on " + iface.getName());
    }
    throw new Refusal(ErrorReason.NO_SUCH_METHOD, fitting.isEmpty()
        ? "no method '" + request.getMethod() + "' of " + iface.getName()
            + " takes these arguments"
        : "the call of " + iface.getName() + "." + request.getMethod()
            + " is ambiguous; send parameter_types to pick one");
  }

  private static boolean matches(Method m, List<String> types) {
    if (m.getParameterCount() != types.size()) {
      return false;
    }
    for (int i = 0; i < types.size(); i++) {
      if (!TypeNames.matches(types.get(i), m.getParameterTypes()[i],
          m.getGenericParameterTypes()[i])) {
        return false;
      }
    }
    return true;
  }

  private Serializer serializerOf(InvokeRequest request) throws Refusal {
    if (!request.hasPayload()) {
      return settings.serializers().json();
    }
    Serializer serializer = settings.serializers().get(request.getPayload().getSerializer());
    if (serializer == null) {
      throw new Refusal(ErrorReason.SERIALIZER_NOT_ACCEPTED, "serializer '"
          + request.getPayload().getSerializer() + "' is not read by this client; it reads "
          + String.join(", ", settings.serializers().names()));
    }
    return serializer;
  }

  private Object[] arguments(Method method, InvokeRequest request, Serializer serializer,
      String name) throws Refusal {
    List<Object> trees;
    Limits limits = settings.limits();
    try {
      trees = request.hasPayload() ? serializer.readArguments(request.getPayload().getData())
          : JsonValues.arguments(request.getArgs(), limits.maxArguments(), limits.maxDepth(),
              limits.maxStringLength());
    } catch (IllegalArgumentException | SerializationException e) {
      throw new Refusal(ErrorReason.BAD_ARGUMENTS, "bad arguments for " + name + ": "
          + e.getMessage());
    }
    Type[] types = method.getGenericParameterTypes();
    if (trees.size() != types.length) {
      throw new Refusal(ErrorReason.NO_SUCH_METHOD, "no method '" + method.getName() + "' with "
          + trees.size() + " arguments on " + method.getDeclaringClass().getName());
    }
    Object[] args = new Object[types.length];
    for (int i = 0; i < args.length; i++) {
      try {
        args[i] = serializer.convert(trees.get(i), types[i]);
      } catch (IllegalArgumentException | SerializationException e) {
        throw new Refusal(ErrorReason.BAD_ARGUMENTS, "argument " + (i + 1) + " of " + name
            + ": " + e.getMessage());
      }
      if (args[i] == null && method.getParameterTypes()[i].isPrimitive()) {
        throw new Refusal(ErrorReason.BAD_ARGUMENTS, "argument " + (i + 1) + " of " + name
            + ": null for a " + method.getParameterTypes()[i].getName());
      }
    }
    return args;
  }

  /**
   * The session ended for {@code why}, by {@code cause}: the server's objects can no longer be
   * called, its calls still running are interrupted, and the client's objects are dropped.
   */
  void end(String why, Throwable cause) {
    List<Object> proxies;
    synchronized (lock) {
      if (ended != null) {
        return;
      }
      ended = why;
      endedBy = cause;
      proxies = imports.clear();
      exports.clear();
    }
    for (Object proxy : proxies) {
      InternalClient.endReference(proxy, why);
    }
    for (Long id : List.copyOf(running.keySet())) {
      cancelled(id);
    }
    oneway.clear();
  }
}
