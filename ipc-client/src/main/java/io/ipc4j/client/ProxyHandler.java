package io.ipc4j.client;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Behind every typed proxy: {@code equals}, {@code hashCode}, {@code toString} and default methods
 * run locally; every other method is a remote call, parsed once and cached.
 */
final class ProxyHandler implements InvocationHandler {
  private static final Object[] NO_ARGS = new Object[0];

  private final Invoker invoker;
  private final Class<?> iface;
  private final String object;
  private final String description;
  private final Map<Method, ProxyMethod> methods = new ConcurrentHashMap<>();

  ProxyHandler(Invoker invoker, Class<?> iface, String object, String target) {
    this.invoker = invoker;
    this.iface = iface;
    this.object = object;
    this.description = "IpcProxy[" + iface.getName() + " -> " + object + " at " + target + "]";
    for (Method m : iface.getMethods()) {
      if (isRemote(m)) {
        methods.put(m, ProxyMethod.parse(iface, m));
      }
    }
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
    ProxyMethod remote = methods.computeIfAbsent(method, m -> ProxyMethod.parse(iface, m));
    try {
      return invoker.invoke(object, remote.name, remote.parameterTypes,
          args == null ? NO_ARGS : args, remote.returnType);
    } catch (IpcRemoteException e) {
      throw remote.rethrowable(e);
    }
  }

  Class<?> iface() {
    return iface;
  }
}
