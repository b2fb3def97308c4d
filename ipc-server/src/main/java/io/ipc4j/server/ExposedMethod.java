package io.ipc4j.server;

import io.ipc4j.core.Oneway;
import io.ipc4j.core.internal.TypeNames;
import io.ipc4j.proto.v1.MethodDescription;
import io.ipc4j.proto.v1.ParameterDescription;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/** One method a client may call, with its signature read once at exposure. */
final class ExposedMethod {
  final Method method;
  final Class<?>[] parameterClasses;
  final Type[] parameterTypes;
  final String[] parameterNames;
  final Type returnType;
  /**
   * The type of the value sent back: the return type, or {@code T} of a {@code
   * CompletionStage<T>} (the server answers with the value once the stage completes).
   */
  final Type resultType;

  ExposedMethod(Method method) {
    this.method = method;
    this.parameterClasses = method.getParameterTypes();
    this.parameterTypes = method.getGenericParameterTypes();
    this.parameterNames = Arrays.stream(method.getParameters()).map(Parameter::getName)
        .toArray(String[]::new);
    this.returnType = method.getGenericReturnType();
    this.resultType = resultType(method.getReturnType(), returnType);
  }

  private static Type resultType(Class<?> raw, Type generic) {
    if (!CompletionStage.class.isAssignableFrom(raw)) {
      return generic;
    }
    if (generic instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c
        && CompletionStage.class.isAssignableFrom(c) && p.getActualTypeArguments().length == 1
        && !(p.getActualTypeArguments()[0] instanceof TypeVariable<?>)) {
      Type value = p.getActualTypeArguments()[0];
      return value instanceof WildcardType w ? w.getUpperBounds()[0] : value;
    }
    return Object.class;
  }

  String name() {
    return method.getName();
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
        .setOneway(method.isAnnotationPresent(Oneway.class))
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
