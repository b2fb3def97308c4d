package io.ipc4j.client;

import io.ipc4j.core.Oneway;
import io.ipc4j.core.internal.RemoteTypes;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/** One interface method, parsed once: what to send and how to read and rethrow the answer. */
final class ProxyMethod {
  /** How a method is called, from its return type and {@link Oneway}. */
  enum Kind {
    /** Blocks until the result arrives. */
    BLOCKING,
    /** Returns a {@code CompletableFuture}, {@code CompletionStage} or {@code Future} at once. */
    ASYNC,
    /** A {@code void} method marked {@link Oneway}: returns at once, nothing is awaited. */
    ONEWAY,
    /** Returns a lazy {@code Stream} of the items of an {@code InvokeStream} call. */
    STREAM,
    /** Returns a lazy, {@code AutoCloseable} {@code Iterator} of the items. */
    ITERATOR,
    /** Returns an {@code Iterable} whose every {@code iterator()} calls the method anew. */
    ITERABLE
  }

  final String name;
  /** Sent only when the interface overloads the name at this arity, to pick the same overload. */
  final List<String> parameterTypes;
  final Kind kind;
  /**
   * What the server's answer is read as: the return type, the {@code T} of a future, or the item
   * type of a stream.
   */
  final Type resultType;
  private final Class<?>[] declaredExceptions;
  /**
   * For each parameter, the {@link io.ipc4j.core.Remote} interface it is typed by (its argument
   * travels by reference), or null.
   */
  final Class<?>[] remoteParameters;
  /** Whether some parameter travels by reference. */
  final boolean passesReferences;
  /** The {@link io.ipc4j.core.Remote} interface the result is (a reference comes back), or null. */
  final Class<?> remoteResult;

  private ProxyMethod(Method method, List<String> parameterTypes, Kind kind, Type resultType) {
    this.name = method.getName();
    this.parameterTypes = parameterTypes;
    this.kind = kind;
    this.resultType = resultType;
    this.declaredExceptions = method.getExceptionTypes();
    this.remoteParameters = Arrays.stream(method.getGenericParameterTypes())
        .map(RemoteTypes::remoteInterface).toArray(Class<?>[]::new);
    this.passesReferences = Arrays.stream(remoteParameters).anyMatch(Objects::nonNull);
    this.remoteResult = RemoteTypes.remoteInterface(resultType);
  }

  /** Whether a call of this method carries references, either way: it needs a session. */
  boolean carriesReferences() {
    return passesReferences || remoteResult != null;
  }

  /**
   * Parses {@code method} as called through a proxy of {@code iface}.
   *
   * @throws IllegalArgumentException when {@code method} is marked {@link Oneway} but does not
   *     return void; the message names the interface and the method
   */
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
    Class<?> raw = method.getReturnType();
    Type generic = method.getGenericReturnType();
    if (method.isAnnotationPresent(Oneway.class)) {
      if (raw != void.class) {
        throw methodError(method, "@Oneway methods must return void, not "
            + generic.getTypeName());
      }
      return new ProxyMethod(method, types, Kind.ONEWAY, void.class);
    }
    Kind kind;
    if (raw == CompletableFuture.class || raw == CompletionStage.class || raw == Future.class) {
      kind = Kind.ASYNC;
    } else if (raw == Stream.class) {
      kind = Kind.STREAM;
    } else if (raw == Iterator.class) {
      kind = Kind.ITERATOR;
    } else if (raw == Iterable.class) {
      kind = Kind.ITERABLE;
    } else {
      return new ProxyMethod(method, types, Kind.BLOCKING, generic);
    }
    return new ProxyMethod(method, types, kind, typeArgument(generic));
  }

  /**
   * An error about {@code method}, in Retrofit's form: the message, then a line {@code for method
   * Iface.name}.
   */
  private static IllegalArgumentException methodError(Method method, String message) {
    return new IllegalArgumentException(message + "\n    for method "
        + method.getDeclaringClass().getSimpleName() + "." + method.getName());
  }

  /** The {@code T} of {@code Future<T>}, {@code Stream<T>}, …; Object for a type variable. */
  private static Type typeArgument(Type generic) {
    if (generic instanceof ParameterizedType p && p.getActualTypeArguments().length == 1) {
      Type t = p.getActualTypeArguments()[0];
      if (t instanceof WildcardType w) {
        t = w.getUpperBounds()[0];
      }
      return t instanceof TypeVariable<?> ? Object.class : t;
    }
    return Object.class;
  }

  /**
   * The exception to throw for {@code remote}: the declared exception type it names, rebuilt
   * with the remote message and stack, or {@code remote} itself. Only types from this method's
   * {@code throws} clause are ever instantiated.
   */
  RuntimeException rethrowable(IpcRemoteException remote) throws Throwable {
    Throwable t = translate(remote);
    if (t != remote) {
      throw t;
    }
    return remote;
  }

  /**
   * What a failure becomes for the caller: a remote exception of a declared type rebuilt as that
   * type; anything else unchanged. For futures and streams, which cannot throw from here.
   */
  Throwable translate(IpcException failure) {
    if (failure instanceof IpcRemoteException remote) {
      for (Class<?> declared : declaredExceptions) {
        if (declared.getName().equals(remote.getRemoteClassName())) {
          Throwable rebuilt = instantiate(declared, remote);
          if (rebuilt != null) {
            return rebuilt;
          }
        }
      }
    }
    return failure;
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
