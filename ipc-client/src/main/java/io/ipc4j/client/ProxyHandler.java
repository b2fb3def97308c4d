package io.ipc4j.client;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/**
 * Behind every typed proxy: {@code equals}, {@code hashCode}, {@code toString} and default methods
 * run locally; every other method is a remote call, parsed once per client and interface. How it is called
 * follows from its return type: blocking, asynchronous ({@code CompletableFuture}), oneway
 * ({@code @Oneway void}) or streamed ({@code Stream}, {@code Iterator}, {@code Iterable}).
 */
final class ProxyHandler implements InvocationHandler {
  private static final Object[] NO_ARGS = new Object[0];

  private final Invoker invoker;
  private final Class<?> iface;
  private final String object;
  private final String description;
  /** The interface's remote methods, parsed once per client and interface (immutable). */
  private final Map<Method, ProxyMethod> methods;

  /** A handler for proxies of {@code iface}, calling with a table that {@link #parse} made. */
  ProxyHandler(Invoker invoker, Class<?> iface, Map<Method, ProxyMethod> methods, String object,
      String target) {
    this.invoker = invoker;
    this.iface = iface;
    this.methods = methods;
    this.object = object;
    this.description = "IpcProxy[" + iface.getName() + " -> " + object + " at " + target + "]";
  }

  /**
   * Parses every remote method of {@code iface}: the table a client keeps per interface.
   *
   * @throws IllegalArgumentException when a method cannot be called remotely, such as an
   *     {@code @Oneway} method that does not return void
   */
  static Map<Method, ProxyMethod> parse(Class<?> iface) {
    Map<Method, ProxyMethod> table = new HashMap<>();
    for (Method m : iface.getMethods()) {
      if (isRemote(m)) {
        table.put(m, ProxyMethod.parse(iface, m));
      }
    }
    return Map.copyOf(table);
  }

  private static boolean isRemote(Method m) {
    return !m.isDefault() && !Modifier.isStatic(m.getModifiers())
        && m.getDeclaringClass() != Object.class;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        case "toString" -> description;
        default -> throw new UnsupportedOperationException(method.toString());
      };
    }
    if (method.isDefault()) {
      return InvocationHandler.invokeDefault(proxy, method, args);
    }
    ProxyMethod remote = methods.get(method);
    Object[] arguments = args == null ? NO_ARGS : args;
    if (remote.carriesReferences()) {
      return invoker.invokeWithReferences(object, remote, arguments);
    }
    switch (remote.kind) {
      case ASYNC:
        return invoker.invokeAsync(object, remote.name, remote.parameterTypes, arguments,
            remote.resultType, remote::translate);
      case ONEWAY:
        invoker.invokeOneway(object, remote.name, remote.parameterTypes, arguments);
        return null;
      case STREAM:
        return stream(remote, arguments).stream();
      case ITERATOR:
        return stream(remote, arguments);
      case ITERABLE:
        return (Iterable<Object>) () -> stream(remote, arguments);
      default:
        try {
          return invoker.invoke(object, remote.name, remote.parameterTypes, arguments,
              remote.resultType);
        } catch (IpcRemoteException e) {
          throw remote.rethrowable(e);
        }
    }
  }

  private StreamingCall stream(ProxyMethod remote, Object[] args) {
    return invoker.invokeStream(object, remote.name, remote.parameterTypes, args,
        remote.resultType, remote::translate);
  }

  Class<?> iface() {
    return iface;
  }
}
