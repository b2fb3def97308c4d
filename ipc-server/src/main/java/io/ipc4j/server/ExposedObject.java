package io.ipc4j.server;

import io.ipc4j.core.ErrorReason;
import io.ipc4j.core.internal.RemoteTypes;
import io.ipc4j.core.internal.Serializer;
import io.ipc4j.proto.v1.ObjectDescription;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * An object a server exposes under a name, with the methods clients may call. Methods are found
 * once, at exposure; a request's names are only looked up in that table.
 */
final class ExposedObject {
  private static final Logger logger = Logger.getLogger(IpcServer.class.getName());

  final String name;
  final Object target;
  final Class<?> type;
  final Map<String, List<ExposedMethod>> methods;
  /** Held around each call when the object is {@link Concurrency#SERIALIZED}; else null. */
  final ReentrantLock lock;
  /** The methods of each name by arity: {@code byArity.get(name)[n]} take n arguments. */
  private final Map<String, List<List<ExposedMethod>>> byArity;

  ExposedObject(String name, Object target, Class<?> iface, Concurrency concurrency) {
    this(name, target, iface, concurrency, null);
  }

  /**
   * The methods of objects exposed through an interface, found once: every object of one class
   * exposed under one name through one interface has the same.
   */
  static final class Methods {
    final Map<String, List<ExposedMethod>> byName;
    final Map<String, List<List<ExposedMethod>>> byArity;

    private Methods(Map<String, List<ExposedMethod>> byName) {
      this.byName = byName;
      this.byArity = byArity(byName);
    }

    /**
     * The methods of {@code iface} as {@code implementation} carries them out, for an object
     * exposed as {@code name}.
     */
    static Methods of(String name, Class<?> iface, Class<?> implementation) {
      return new Methods(interfaceMethods(name, iface, implementation));
    }
  }

  /**
   * {@code target} exposed as {@code name}, through {@code iface} when not null, with the
   * {@code known} methods when not null (found for another object of its class and interface),
   * else found now.
   */
  ExposedObject(String name, Object target, Class<?> iface, Concurrency concurrency,
      Methods known) {
    this.name = name;
    this.target = Objects.requireNonNull(target, "object == null");
    if (iface != null && !iface.isInterface()) {
      throw new IllegalArgumentException(iface.getName() + " is not an interface");
    }
    if (iface != null && !iface.isInstance(target)) {
      throw new IllegalArgumentException(
          target.getClass().getName() + " does not implement " + iface.getName());
    }
    this.type = iface != null ? iface : target.getClass();
    Methods found = known != null ? known
        : iface != null ? Methods.of(name, iface, target.getClass())
        : new Methods(publicMethods(name, target.getClass()));
    this.methods = found.byName;
    this.byArity = found.byArity;
    this.lock = concurrency == Concurrency.SERIALIZED ? new ReentrantLock() : null;
  }

  private static Map<String, List<List<ExposedMethod>>> byArity(
      Map<String, List<ExposedMethod>> methods) {
    Map<String, List<List<ExposedMethod>>> table = new HashMap<>();
    for (Map.Entry<String, List<ExposedMethod>> e : methods.entrySet()) {
      int most = e.getValue().stream().mapToInt(ExposedMethod::arity).max().orElse(0);
      List<List<ExposedMethod>> lists = new ArrayList<>();
      for (int n = 0; n <= most; n++) {
        int arity = n;
        lists.add(e.getValue().stream().filter(m -> m.arity() == arity).toList());
      }
      table.put(e.getKey(), List.copyOf(lists));
    }
    return table;
  }

  /** The one method of that name when the name is not overloaded; else null. */
  ExposedMethod only(String methodName) {
    List<ExposedMethod> named = methods.get(methodName);
    return named != null && named.size() == 1 ? named.get(0) : null;
  }

  /** A chosen method and its converted arguments. */
  record Call(ExposedMethod method, Object[] args) {}

  /**
   * Chooses the overload that {@code methodName}, the requested parameter types and the
   * arguments name, and converts the arguments to its parameter types.
   */
  Call resolve(String methodName, List<String> parameterTypes, List<Object> args,
      Serializer serializer) throws CallException {
    List<ExposedMethod> named = methods.get(methodName);
    if (named == null) {
      throw new CallException(ErrorReason.NO_SUCH_METHOD,
          "no method '" + methodName + "' on object '" + name + "'"
              + NameSuggestions.didYouMean(methodName, methods.keySet()));
    }
    List<List<ExposedMethod>> arities = byArity.get(methodName);
    List<ExposedMethod> candidates =
        args.size() < arities.size() ? arities.get(args.size()) : List.of();
    if (candidates.isEmpty()) {
      throw new CallException(ErrorReason.NO_SUCH_METHOD,
          "no method '" + methodName + "' with " + args.size() + " argument"
              + (args.size() == 1 ? "" : "s") + " on object '" + name + "'; it has "
              + signatures(named) + " (" + arities(named) + ")");
    }
    if (!parameterTypes.isEmpty()) {
      candidates = candidates.stream().filter(m -> m.matches(parameterTypes)).toList();
      if (candidates.isEmpty()) {
        throw new CallException(ErrorReason.BAD_ARGUMENTS,
            "parameter_types " + parameterTypes + " match no overload of " + name + "."
                + methodName + "; it has " + signatures(named));
      }
    }
    if (candidates.size() == 1) {
      ExposedMethod m = candidates.get(0);
      return new Call(m, convertAll(m, args, serializer));
    }
    return bestFit(candidates, args, serializer);
  }

  private Call bestFit(List<ExposedMethod> candidates, List<Object> args, Serializer serializer)
      throws CallException {
    List<Call> fitting = new ArrayList<>();
    List<Integer> scores = new ArrayList<>();
    CallException firstFailure = null;
    for (ExposedMethod m : candidates) {
      try {
        Object[] converted = convertAll(m, args, serializer);
        fitting.add(new Call(m, converted));
        scores.add(score(m, args, serializer));
      } catch (CallException e) {
        firstFailure = firstFailure == null ? e : firstFailure;
      }
    }
    if (fitting.isEmpty()) {
      throw new CallException(ErrorReason.BAD_ARGUMENTS,
          "arguments fit no overload of " + name + "." + candidates.get(0).name() + "; it has "
              + signatures(candidates) + " (first: " + firstFailure.getMessage() + ")");
    }
    int best = scores.stream().max(Comparator.naturalOrder()).orElseThrow();
    List<Call> winners = new ArrayList<>();
    for (int i = 0; i < fitting.size(); i++) {
      if (scores.get(i) == best) {
        winners.add(fitting.get(i));
      }
    }
    if (winners.size() > 1) {
      throw new CallException(ErrorReason.BAD_ARGUMENTS,
          "ambiguous call of " + name + "." + candidates.get(0).name() + ": "
              + signatures(winners.stream().map(Call::method).toList())
              + " all fit; send parameter_types to pick one");
    }
    return winners.get(0);
  }

  private Object[] convertAll(ExposedMethod m, List<Object> args, Serializer serializer)
      throws CallException {
    Object[] converted = new Object[args.size()];
    for (int i = 0; i < converted.length; i++) {
      if (m.remoteParameters[i] != null) {
        converted[i] = reference(m, i, args.get(i), serializer);
        continue;
      }
      try {
        converted[i] = serializer.convert(args.get(i), m.parameterTypes[i]);
      } catch (IllegalArgumentException e) {
        throw new CallException(ErrorReason.BAD_ARGUMENTS,
            "argument " + (i + 1) + " ('" + m.parameterNames[i] + "') of " + name + "."
                + m.signature() + ": " + e.getMessage());
      }
      if (converted[i] == null && m.parameterClasses[i].isPrimitive()) {
        throw new CallException(ErrorReason.BAD_ARGUMENTS,
            "argument " + (i + 1) + " ('" + m.parameterNames[i] + "') of " + name + "."
                + m.signature() + ": null for a " + m.parameterClasses[i].getName());
      }
    }
    return converted;
  }

  /**
   * Argument {@code i} of {@code m}, a {@link io.ipc4j.core.Remote} parameter: the reference id
   * the client sent (a string), made a proxy once the session is known; null stays null.
   */
  private ReferenceArgument reference(ExposedMethod m, int i, Object arg, Serializer serializer)
      throws CallException {
    Object id;
    try {
      id = arg == null ? null : serializer.convert(arg, String.class);
    } catch (IllegalArgumentException e) {
      id = arg;
    }
    if (id == null) {
      return null;
    }
    if (!(id instanceof String text) || text.length() != RemoteTypes.ID_LENGTH) {
      throw new CallException(ErrorReason.BAD_ARGUMENTS,
          "argument " + (i + 1) + " ('" + m.parameterNames[i] + "') of " + name + "."
              + m.signature() + ": a @Remote " + m.remoteParameters[i].getName()
              + " travels as a reference id, not as a value");
    }
    return new ReferenceArgument(text, m.remoteParameters[i], m.parameterNames[i]);
  }

  /** How well the arguments fit a method's parameters, by their serializer's measure. */
  private static int score(ExposedMethod m, List<Object> args, Serializer serializer) {
    int total = 0;
    for (int i = 0; i < args.size(); i++) {
      total += m.remoteParameters[i] != null ? 1
          : serializer.fit(args.get(i), m.parameterClasses[i]);
    }
    return total;
  }

  /**
   * Closes the object when it is {@code AutoCloseable} or has a public no-argument {@code
   * close()}; logs a failure at WARNING instead of throwing, so that the other objects still
   * close.
   */
  void close() {
    try {
      if (target instanceof AutoCloseable closeable) {
        closeable.close();
        return;
      }
      Method close = target.getClass().getMethod("close");
      if (!Modifier.isStatic(close.getModifiers()) && close.trySetAccessible()) {
        close.invoke(target);
      }
    } catch (NoSuchMethodException e) {
      // nothing to close
    } catch (Exception e) {
      logger.log(Level.WARNING, "closing object '" + name + "' failed", e);
    }
  }

  ObjectDescription describe() {
    ObjectDescription.Builder d = ObjectDescription.newBuilder()
        .setName(name).setType(type.getName());
    methods.values().stream().flatMap(List::stream)
        .sorted(Comparator.comparing(ExposedMethod::name).thenComparing(ExposedMethod::arity)
            .thenComparing(ExposedMethod::signature))
        .forEach(m -> d.addMethods(m.describe()));
    return d.build();
  }

  /** How many arguments {@code methods} take, as a person says it: "takes 2 arguments". */
  private static String arities(List<ExposedMethod> methods) {
    List<Integer> counts = methods.stream().map(ExposedMethod::arity).distinct().sorted()
        .toList();
    StringBuilder s = new StringBuilder(methods.size() == 1 ? "takes " : "they take ");
    for (int i = 0; i < counts.size(); i++) {
      s.append(i == 0 ? "" : i == counts.size() - 1 ? " or " : ", ").append(counts.get(i));
    }
    return s.append(counts.equals(List.of(1)) ? " argument" : " arguments").toString();
  }

  private static String signatures(List<ExposedMethod> methods) {
    return methods.stream().map(ExposedMethod::signature).sorted()
        .collect(Collectors.joining(", "));
  }

  /**
   * Exactly the interface's abstract and default methods (its superinterfaces' included), never
   * static or synthetic ones, never Object's and never {@code close()}, also when the interface
   * extends {@code AutoCloseable} or {@code Closeable}.
   */
  private static Map<String, List<ExposedMethod>> interfaceMethods(String name, Class<?> iface,
      Class<?> implementation) {
    Map<String, List<ExposedMethod>> byName = new LinkedHashMap<>();
    for (Method m : iface.getMethods()) {
      if (!Modifier.isStatic(m.getModifiers()) && !m.isSynthetic() && !isObjectMethod(m)
          && !isClose(m)) {
        add(name, byName, m, implementation);
      }
    }
    return byName;
  }

  /**
   * The public instance methods reachable through public types: never Object's, never static,
   * synthetic or bridge methods, never {@code close()}. The methods of a non-public class count
   * only when a public supertype declares them, and are called through that declaration.
   */
  private static Map<String, List<ExposedMethod>> publicMethods(String name, Class<?> type) {
    Map<String, List<ExposedMethod>> byName = new LinkedHashMap<>();
    for (Method m : type.getMethods()) {
      if (Modifier.isStatic(m.getModifiers()) || m.isSynthetic() || m.isBridge()
          || isObjectMethod(m) || isClose(m)) {
        continue;
      }
      Method callable = Modifier.isPublic(m.getDeclaringClass().getModifiers())
          ? m : publicDeclaration(type, m);
      if (callable == null && Modifier.isPublic(type.getModifiers()) && m.trySetAccessible()) {
        callable = m; // a public class's method inherited from a package-private superclass
      }
      if (callable != null) {
        add(name, byName, callable, type);
      }
    }
    return byName;
  }

  /**
   * Adds {@code m} to the methods of object {@code name}, unless a client could make the server
   * build a class, thread or process with it: then the method is left out and a WARNING says why.
   */
  private static void add(String name, Map<String, List<ExposedMethod>> byName, Method m,
      Class<?> implementation) {
    List<ExposedMethod> list = byName.getOrDefault(m.getName(), List.of());
    for (ExposedMethod existing : list) {
      if (Arrays.equals(existing.parameterClasses, m.getParameterTypes())) {
        return; // the same signature, reached through two supertypes
      }
    }
    ExposedMethod method = new ExposedMethod(name, m, implementation);
    String refusal = method.refusal();
    if (refusal != null) {
      logger.warning("not exposing " + name + "." + method.signature() + ": " + refusal);
      return;
    }
    byName.computeIfAbsent(m.getName(), k -> new ArrayList<>()).add(method);
  }

  /**
   * Whether {@code m} is {@code close()}: the server calls it once when it stops, so a client
   * must never be able to close an object that others still use.
   */
  private static boolean isClose(Method m) {
    return m.getName().equals("close") && m.getParameterCount() == 0;
  }

  /** Whether {@code m} is or overrides one of Object's, protected ones (clone) included. */
  private static boolean isObjectMethod(Method m) {
    try {
      Object.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static Method publicDeclaration(Class<?> type, Method m) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (Modifier.isPublic(c.getModifiers()) && c != type) {
        Method found = declared(c, m);
        if (found != null) {
          return found;
        }
      }
      for (Class<?> i : allInterfaces(c)) {
        if (Modifier.isPublic(i.getModifiers())) {
          Method found = declared(i, m);
          if (found != null) {
            return found;
          }
        }
      }
    }
    return null;
  }

  private static List<Class<?>> allInterfaces(Class<?> c) {
    List<Class<?>> all = new ArrayList<>();
    for (Class<?> i : c.getInterfaces()) {
      all.add(i);
      all.addAll(allInterfaces(i));
    }
    return all;
  }

  private static Method declared(Class<?> c, Method m) {
    try {
      Method found = c.getMethod(m.getName(), m.getParameterTypes());
      return Modifier.isStatic(found.getModifiers()) ? null : found;
    } catch (NoSuchMethodException e) {
      return null;
    }
  }
}
