package io.ipc4j.client;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;

/** One interface method, parsed once: what to send and how to read and rethrow the answer. */
final class ProxyMethod {
  final String name;
  /** Sent only when the interface overloads the name at this arity, to pick the same overload. */
  final List<String> parameterTypes;
  final Type returnType;
  private final Class<?>[] declaredExceptions;

  private ProxyMethod(Method method, List<String> parameterTypes) {
    this.name = method.getName();
    this.parameterTypes = parameterTypes;
    this.returnType = method.getGenericReturnType();
    this.declaredExceptions = method.getExceptionTypes();
  }

  /** Parses {@code method} as called through a proxy of {@code iface}. */
  static ProxyMethod parse(Class<?> iface, Method method) {
    // The proxied interface, not the declaring one: an overload may come from a subinterface.
    boolean overloaded = Arrays.stream(iface.getMethods())
        .filter(m -> m.getName().equals(method.getName())
            && m.getParameterCount() == method.getParameterCount())
        .map(m -> Arrays.asList(m.getParameterTypes()))
        .distinct()
        .count() > 1;
    List<String> types = overloaded
        ? Arrays.stream(method.getParameterTypes()).map(Class::getTypeName).toList()
        : List.of();
    return new ProxyMethod(method, types);
  }

  /**
   * The exception to throw for {@code remote}: the declared exception type it names, rebuilt
   * with the remote message and stack, or {@code remote} itself. Only types from this method's
   * {@code throws} clause are ever instantiated.
   */
  RuntimeException rethrowable(IpcRemoteException remote) throws Throwable {
    for (Class<?> declared : declaredExceptions) {
      if (declared.getName().equals(remote.getRemoteClassName())) {
        Throwable rebuilt = instantiate(declared, remote);
        if (rebuilt != null) {
          throw rebuilt;
        }
      }
    }
    return remote;
  }

  private static Throwable instantiate(Class<?> type, IpcRemoteException remote) {
    String message = remote.getRemoteMessage().isEmpty() ? null : remote.getRemoteMessage();
    Throwable t = null;
    try {
      Constructor<?> c = type.getConstructor(String.class, Throwable.class);
      t = (Throwable) c.newInstance(message, remote);
    } catch (ReflectiveOperationException | RuntimeException e) {
      try {
        Constructor<?> c = type.getConstructor(String.class);
        t = (Throwable) c.newInstance(message);
      } catch (ReflectiveOperationException | RuntimeException e2) {
        try {
          t = (Throwable) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException e3) {
          return null;
        }
      }
      try {
        t.initCause(remote);
      } catch (IllegalStateException | IllegalArgumentException alreadySet) {
        // the constructor chose its own cause
      }
    }
    StackTraceElement[] remoteStack = remote.getRemoteStackTrace();
    if (remoteStack.length > 0) {
      t.setStackTrace(remoteStack);
    }
    return t;
  }
}
