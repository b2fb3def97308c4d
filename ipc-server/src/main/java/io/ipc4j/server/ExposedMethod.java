package io.ipc4j.server;

import io.ipc4j.core.NonBlocking;
import io.ipc4j.core.Oneway;
import io.ipc4j.core.internal.RemoteTypes;
import io.ipc4j.core.internal.ReturnTypes;
import io.ipc4j.core.internal.Serializer;
import io.ipc4j.core.internal.TypeNames;
import io.ipc4j.core.internal.UnsafeTypes;
import io.ipc4j.proto.v1.MethodDescription;
import io.ipc4j.proto.v1.ParameterDescription;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.stream.BaseStream;
import java.util.stream.Collectors;

/** One method a client may call, with its signature read once at exposure. */
final class ExposedMethod {
  /** How many serializers' plans a method keeps; past that, plans are made per call. */
  private static final int MAX_PLANS = 16;

  final Method method;
  /** {@code object.method}, as messages and the call registry name a call of it. */
  final String call;
  final Class<?>[] parameterClasses;
  final Type[] parameterTypes;
  final String[] parameterNames;
  final Type returnType;
  /**
   * The type of the value sent back, and the type it is written as: the return type, or {@code T}
   * of a {@code CompletionStage<T>} (the server answers with the value once the stage completes);
   * type variables resolved against the exposed object's class, else their bounds. Built once: the
   * serializer keeps one writer for it.
   */
  final Type resultType;
  /**
   * Whether {@code @Oneway} marks the method, or a method of a supertype that it implements: the
   * server then never interrupts it when the caller goes away, and logs its failures at WARNING.
   */
  final boolean oneway;
  /**
   * Whether {@code @NonBlocking} marks the method, a method it implements, or the implementation's
   * method: the server may then run it on the transport thread (see {@link NonBlocking}).
   */
  final boolean nonBlocking;
  /**
   * Whether the method's items are sent through {@code InvokeStream}: it returns a {@code
   * BaseStream} (a {@code Stream}, {@code IntStream}, …), an {@code Iterator}, an {@code
   * Iterable}, or a closeable {@code Iterable} such as a {@code DirectoryStream}.
   */
  final boolean streaming;
  /**
   * The type of one item when the result is streamed, and the type it is written as: the element
   * type of the stream, iterator, iterable or collection, resolved as {@link #resultType} is; null
   * for methods whose result cannot be streamed.
   */
  final Type itemType;
  /** {@code List<item type>}: the type of all the items sent as one answer; null as itemType. */
  final Type itemListType;
  /**
   * For each parameter, the {@link io.ipc4j.core.Remote} interface it is typed by (its argument is
   * a reference to the caller's object), or null.
   */
  final Class<?>[] remoteParameters;
  /** The {@link io.ipc4j.core.Remote} interface the result is sent as (by reference), or null. */
  final Class<?> remoteResult;
  /** Whether a call of this method carries references, either way: it needs a session. */
  final boolean carriesReferences;
  /** Each serializer's {@link Serializer#plan} for these parameters, made on first use. */
  private volatile Plan[] plans = new Plan[0];

  /** One serializer's plan (null: it has no fast path for these parameters). */
  private record Plan(Serializer serializer, Serializer.ArgumentPlan plan) {}

  /**
   * {@code method} of the object exposed as {@code objectName}, as {@code implementation} (that
   * object's class) carries it out.
   */
  ExposedMethod(String objectName, Method method, Class<?> implementation) {
    this.method = method;
    this.call = objectName + "." + method.getName();
    this.parameterClasses = method.getParameterTypes();
    this.parameterTypes = method.getGenericParameterTypes();
    this.parameterNames = Arrays.stream(method.getParameters()).map(Parameter::getName)
        .toArray(String[]::new);
    this.returnType = method.getGenericReturnType();
    this.oneway = marked(method, Oneway.class, method.getDeclaringClass());
    this.nonBlocking = marked(method, NonBlocking.class, method.getDeclaringClass())
        || marked(method, NonBlocking.class, implementation);
    Class<?> raw = method.getReturnType();
    this.streaming = BaseStream.class.isAssignableFrom(raw)
        || Iterator.class.isAssignableFrom(raw)
        || raw == Iterable.class
        || Iterable.class.isAssignableFrom(raw) && AutoCloseable.class.isAssignableFrom(raw)
            && !Collection.class.isAssignableFrom(raw);
    ReturnTypes answers = ReturnTypes.of(method, implementation,
        streaming || Collection.class.isAssignableFrom(raw));
    this.resultType = answers.result();
    this.itemType = answers.item();
    this.itemListType = answers.itemList();
    this.remoteParameters = Arrays.stream(parameterTypes).map(RemoteTypes::remoteInterface)
        .toArray(Class<?>[]::new);
    this.remoteResult = streaming ? null : RemoteTypes.remoteInterface(resultType);
    this.carriesReferences = remoteResult != null
        || Arrays.stream(remoteParameters).anyMatch(java.util.Objects::nonNull);
  }

  /** Why a call of this method cannot go without a session, naming what travels by reference. */
  String needsSession() {
    String what = remoteResult != null ? "returns a @Remote " + remoteResult.getName()
        : "takes a @Remote " + Arrays.stream(remoteParameters)
            .filter(java.util.Objects::nonNull).findFirst().orElseThrow().getName();
    return call + " " + what + ", which travels by reference, over a session only (ipc4j's Java"
        + " client opens one)";
  }

  /**
   * Whether a method of {@code method}'s name and parameters in {@code from} or any of its
   * superclasses and interfaces carries {@code mark}.
   */
  private static boolean marked(Method method, Class<? extends Annotation> mark, Class<?> from) {
    Deque<Class<?>> todo = new ArrayDeque<>(List.of(from));
    Set<Class<?>> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      Class<?> c = todo.pop();
      if (!seen.add(c)) {
        continue;
      }
      try {
        if (c.getDeclaredMethod(method.getName(), method.getParameterTypes())
            .isAnnotationPresent(mark)) {
          return true;
        }
      } catch (NoSuchMethodException e) {
        // not declared here; look further up
      }
      if (c.getSuperclass() != null) {
        todo.add(c.getSuperclass());
      }
      todo.addAll(Arrays.asList(c.getInterfaces()));
    }
    return false;
  }

  String name() {
    return method.getName();
  }

  /**
   * What {@code serializer} prepared to read this method's arguments straight into its
   * parameters, or null when it has no such path: made once per serializer, then looked up
   * without allocating (a server has a handful of serializers).
   */
  Serializer.ArgumentPlan plan(Serializer serializer) {
    Plan[] known = plans;
    for (Plan p : known) {
      if (p.serializer == serializer) {
        return p.plan;
      }
    }
    Serializer.ArgumentPlan plan = serializer.plan(parameterTypes);
    synchronized (this) {
      if (plans.length < MAX_PLANS
          && Arrays.stream(plans).noneMatch(p -> p.serializer == serializer)) {
        Plan[] more = Arrays.copyOf(plans, plans.length + 1);
        more[plans.length] = new Plan(serializer, plan);
        plans = more;
      }
    }
    return plan;
  }

  /**
   * Why no client may call this method, or null: a parameter that is, holds or is typed by one of
   * the {@link UnsafeTypes} ({@code Class<?>}, {@code List<Class<?>>}, {@code Thread[]}, …), a
   * value that no client may choose.
   */
  String refusal() {
    for (int i = 0; i < parameterTypes.length; i++) {
      Class<?> unsafe = UnsafeTypes.find(parameterTypes[i]);
      if (unsafe != null) {
        return "parameter '" + parameterNames[i] + "' (" + simple(parameterTypes[i])
            + ") would let a client choose a " + unsafe.getName();
      }
    }
    return null;
  }

  int arity() {
    return parameterClasses.length;
  }

  /** Whether {@code names} (a request's parameter_types) name exactly these parameters. */
  boolean matches(List<String> names) {
    if (names.size() != parameterClasses.length) {
      return false;
    }
    for (int i = 0; i < parameterClasses.length; i++) {
      if (!TypeNames.matches(names.get(i), parameterClasses[i], parameterTypes[i])) {
        return false;
      }
    }
    return true;
  }

  /** The signature as errors show it: {@code add(int a, int b)}. */
  String signature() {
    StringBuilder s = new StringBuilder(name()).append('(');
    for (int i = 0; i < parameterTypes.length; i++) {
      if (i > 0) {
        s.append(", ");
      }
      s.append(simple(parameterTypes[i])).append(' ').append(parameterNames[i]);
    }
    return s.append(')').toString();
  }

  MethodDescription describe() {
    MethodDescription.Builder d = MethodDescription.newBuilder()
        .setName(name())
        .setReturnType(TypeNames.of(returnType))
        .setOneway(oneway)
        .setStreaming(streaming)
        .addAllExceptions(Arrays.stream(method.getGenericExceptionTypes()).map(TypeNames::of)
            .collect(Collectors.toList()));
    for (int i = 0; i < parameterTypes.length; i++) {
      d.addParameters(ParameterDescription.newBuilder()
          .setName(parameterNames[i]).setType(TypeNames.of(parameterTypes[i])));
    }
    return d.build();
  }

  private static String simple(Type type) {
    return TypeNames.of(type).replaceAll("\\b(?:[a-z_][\\w$]*\\.)+", "");
  }
}
