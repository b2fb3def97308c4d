package io.ipc4j.core.internal;

import java.lang.reflect.Type;

/**
 * Names of Java types as requests and descriptions carry them. A name is only ever compared with
 * the types of exposed methods; it is never loaded as a class.
 */
public final class TypeNames {
  private TypeNames() {}

  /** The name of {@code type} as Java writes it, generics included: {@code java.util.List<java.lang.String>}. */
  public static String of(Type type) {
    return type.getTypeName();
  }

  /**
   * Whether {@code requested} names {@code parameter}: its full name ({@code java.lang.String},
   * {@code byte[]}), its simple name ({@code String}) or its generic name.
   */
  public static boolean matches(String requested, Class<?> parameter, Type genericParameter) {
    String name = requested.strip();
    return name.equals(parameter.getTypeName())
        || name.equals(parameter.getName())
        || name.equals(parameter.getSimpleName())
        || name.equals(genericParameter.getTypeName());
  }
}
