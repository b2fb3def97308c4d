package io.ipc4j.client;

import io.ipc4j.proto.v1.DescribeResponse;
import io.ipc4j.proto.v1.MethodDescription;
import io.ipc4j.proto.v1.ObjectDescription;
import io.ipc4j.proto.v1.ParameterDescription;
import java.lang.invoke.MethodType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * An object on the server, called by method name with no class or interface needed
 * (script.module.ipc's {@code get_exposed_object()}). Thread-safe.
 *
 * <pre>{@code
 * Object v = client.getExposedObject().call("get", "greeting");
 * RemoteObject calc = client.getExposedObject("calc");
 * int sum = calc.call(Integer.class, "add", 1, 2);
 * CompletableFuture<Integer> later = calc.callAsync(Integer.class, "add", 1, 2);
 * calc.callOneway("log", "started");
 * try (Stream<Long> primes = calc.stream(Long.class, "primes", 100)) { ... }
 * }</pre>
 */
public final class RemoteObject {
  private static final List<String> NO_TYPES = List.of();

  private final Invoker invoker;
  private final String name;

  RemoteObject(Invoker invoker, String name) {
    this.invoker = invoker;
    this.name = name;
  }

  /** The name the server exposes this object under. */
  public String name() {
    return name;
  }

  /**
   * Calls {@code method} with {@code args} and returns the result as plain JSON-shaped values:
   * Map, List, String, Long, Double, BigInteger, Boolean or null.
   *
   * @throws IpcException when the call fails; {@link IpcRemoteException} when the method threw
   */
  public Object call(String method, Object... args) {
    return call(Object.class, method, args);
  }

  /**
   * Calls {@code method} and converts the result to {@code type} (a class, or a generic type such
   * as a {@code ParameterizedType}).
   *
   * @throws IpcException when the call fails or the result does not convert
   */
  public <T> T call(Type type, String method, Object... args) {
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(method, "method == null");
    @SuppressWarnings("unchecked") // the serializer read it as type
    T result = (T) invoker.invoke(name, method, NO_TYPES, args, type);
    return result;
  }

  /**
   * Calls the overload of {@code method} whose parameters {@code parameterTypes} name (Java type
   * names such as {@code int}, {@code java.lang.String} or {@code String}, {@code byte[]}), for
   * when the arguments alone leave the choice ambiguous, and converts the result to {@code type}.
   *
   * @throws IpcException when the call fails or the result does not convert; {@link
   *     IpcBadArgumentsException} when no overload has those parameter types
   */
  public <T> T invoke(Type type, String method, List<String> parameterTypes, Object... args) {
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(method, "method == null");
    List<String> types = List.copyOf(parameterTypes);
    @SuppressWarnings("unchecked") // the serializer read it as type
    T result = (T) invoker.invoke(name, method, types, args, type);
    return result;
  }

  /** Same as {@link #call(Type, String, Object...)} with a class, so no cast is needed. */
  public <T> T call(Class<T> type, String method, Object... args) {
    Object result = call((Type) type, method, args);
    // int.class cannot cast the Integer it stands for; its wrapper can.
    @SuppressWarnings("unchecked") // int.class is a Class<Integer>
    Class<T> boxed = (Class<T>) MethodType.methodType(type).wrap().returnType();
    return boxed.cast(result);
  }

  /**
   * Calls {@code method} without blocking; the future completes with the result as plain
   * JSON-shaped values, as {@link #call(String, Object...)} returns it.
   *
   * @see #callAsync(Type, String, Object...)
   */
  public CompletableFuture<Object> callAsync(String method, Object... args) {
    return callAsync((Type) Object.class, method, args);
  }

  /**
   * Calls {@code method} without blocking a thread while it runs. The future completes with the
   * result converted to {@code type}, or exceptionally with the {@link IpcException} that {@link
   * #call(Type, String, Object...)} would throw ({@link IpcRemoteException} when the method
   * threw). {@code future.cancel(true)} cancels the call: the server interrupts the thread
   * running the method, or cancels the future the method returned. Cancelling a stage derived
   * from the future ({@code thenApply}, …) does not reach the server.
   *
   * <p>The future completes on one of gRPC's threads; dependent stages without an executor run
   * there too, so keep them short or pass an executor.
   */
  public <T> CompletableFuture<T> callAsync(Type type, String method, Object... args) {
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(method, "method == null");
    @SuppressWarnings("unchecked") // the serializer reads the result as type
    CompletableFuture<T> future = (CompletableFuture<T>) (CompletableFuture<?>)
        invoker.invokeAsync(name, method, NO_TYPES, args, type, failure -> failure);
    return future;
  }

  /**
   * Sends a call to {@code method} and returns at once, without its result (Pyro's oneway call).
   * The server runs it; a failure is logged at WARNING (on the server when the method threw or the
   * call was refused, else here), never thrown to the caller. The oneway calls of one client run
   * on the server one after another, in the order they were made; see docs/async-and-streaming.md
   * for exactly what is ordered.
   *
   * @throws IpcBadArgumentsException when the arguments cannot be serialized (nothing is sent)
   */
  public void callOneway(String method, Object... args) {
    Objects.requireNonNull(method, "method == null");
    invoker.invokeOneway(name, method, NO_TYPES, args);
  }

  /**
   * Calls {@code method}, which returns a {@code Stream}, {@code Iterator} or {@code Iterable} (or
   * a collection) on the server, and returns its items lazily as plain JSON-shaped values.
   *
   * @see #stream(Type, String, Object...)
   */
  public Stream<Object> stream(String method, Object... args) {
    return stream((Type) Object.class, method, args);
  }

  /**
   * Calls {@code method} through {@code InvokeStream} and returns its items lazily, each converted
   * to {@code type}. Items travel as the stream is read, with flow control: the server produces
   * no more than the client is about to read. Close the stream (try-with-resources) when you stop
   * early: that cancels the call, and the server closes its source. Failures, including an
   * exception thrown on the server while it produces items ({@link IpcRemoteException}), are
   * thrown by the stream's terminal operation. Each wait for an item is bounded by the client's
   * deadline; the stream as a whole by the server's stream lifetime.
   *
   * @throws IpcBadArgumentsException when the arguments cannot be serialized
   */
  public <T> Stream<T> stream(Type type, String method, Object... args) {
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(method, "method == null");
    @SuppressWarnings("unchecked") // the serializer reads each item as type
    Stream<T> items = (Stream<T>) (Stream<?>)
        invoker.invokeStream(name, method, NO_TYPES, args, type, failure -> failure).stream();
    return items;
  }

  /** The methods this object exposes, asked of the server's {@code Describe}. */
  public List<RemoteMethod> methods() {
    DescribeResponse response = invoker.describe(name);
    return response.getObjectsList().stream()
        .filter(o -> o.getName().equals(name))
        .map(ObjectDescription::getMethodsList)
        .flatMap(List::stream)
        .map(RemoteObject::method)
        .toList();
  }

  private static RemoteMethod method(MethodDescription m) {
    return new RemoteMethod(
        m.getName(),
        m.getParametersList().stream().map(ParameterDescription::getName).toList(),
        m.getParametersList().stream().map(ParameterDescription::getType).toList(),
        m.getReturnType(),
        List.copyOf(m.getExceptionsList()),
        m.getOneway(),
        m.getStreaming());
  }

  @Override
  public String toString() {
    return "RemoteObject{" + name + "}";
  }
}
