package io.ipc4j.core.internal;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Types whose values no peer may make: a {@code Class} that Jackson reads from a name loads and
 * initialises the class, and class loaders, threads, processes, the runtime, reflection and method
 * handles are the JVM's own machinery, not data. A server does not expose a method that takes one
 * (as a parameter, an element or a type argument), and neither peer reads one from the wire.
 */
public final class UnsafeTypes {
  /** These classes and their subclasses. */
  private static final List<Class<?>> CLASSES = List.of(Class.class, ClassLoader.class,
      Module.class, ModuleLayer.class, Thread.class, ThreadGroup.class, Runtime.class,
      ProcessBuilder.class, Process.class, ProcessHandle.class, StackWalker.class);
  /** Every class of these packages: reflection, method handles, the JDK's internals. */
  private static final List<String> PACKAGES = List.of("java.lang.reflect.", "java.lang.invoke.",
      "sun.misc.", "jdk.internal.");

  private UnsafeTypes() {}

  /** Whether no peer may make a {@code type}. */
  public static boolean isUnsafe(Class<?> type) {
    for (Class<?> c : CLASSES) {
      if (c.isAssignableFrom(type)) {
        return true;
      }
    }
    String name = type.getName();
    for (String p : PACKAGES) {
      if (name.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The first unsafe class in {@code type}: the type itself, an array's element type, a type
   * argument, a wildcard's or type variable's bound; null when there is none.
   */
  public static Class<?> find(Type type) {
    return find(type, new HashSet<>());
  }

  private static Class<?> find(Type type, Set<Type> seen) {
    if (type == null || !seen.add(type)) {
      return null; // <T extends Comparable<T>> refers to itself
    }
    if (type instanceof Class<?> c) {
      return c.isArray() ? find(c.getComponentType(), seen) : isUnsafe(c) ? c : null;
    }
    if (type instanceof GenericArrayType a) {
      return find(a.getGenericComponentType(), seen);
    }
    if (type instanceof ParameterizedType p) {
      return first(seen, p.getRawType(), p.getActualTypeArguments());
    }
    if (type instanceof WildcardType w) {
      Class<?> found = first(seen, null, w.getUpperBounds());
      return found != null ? found : first(seen, null, w.getLowerBounds());
    }
    if (type instanceof TypeVariable<?> v) {
      return first(seen, null, v.getBounds());
    }
    return null;
  }

  private static Class<?> first(Set<Type> seen, Type head, Type[] rest) {
    Class<?> found = find(head, seen);
    for (int i = 0; found == null && i < rest.length; i++) {
      found = find(rest[i], seen);
    }
    return found;
  }
}
