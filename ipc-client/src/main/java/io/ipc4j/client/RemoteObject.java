package io.ipc4j.client;

import io.ipc4j.proto.v1.DescribeResponse;
import io.ipc4j.proto.v1.MethodDescription;
import io.ipc4j.proto.v1.ObjectDescription;
import io.ipc4j.proto.v1.ParameterDescription;
import java.lang.invoke.MethodType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Objects;

/**
 * An object on the server, called by method name with no class or interface needed (the seed's
 * {@code get_exposed_object()}). Thread-safe.
 *
 * <pre>{@code
 * Object v = client.getExposedObject().call("get", "greeting");
 * int sum = client.getExposedObject("calc").call(Integer.class, "add", 1, 2);
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
