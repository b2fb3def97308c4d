package io.ipc4j.core.internal;

import java.lang.reflect.Type;
import java.util.regex.Pattern;

/**
 * Names of Java types as requests and descriptions carry them. A name is only ever compared with
 * the types of exposed methods; it is never loaded as a class.
 */
public final class TypeNames {
  /** The package prefixes in a type name: {@code java.util.} and {@code java.lang.}. */
  private static final Pattern PACKAGES = Pattern.compile("\\b(?:[a-z_][\\w$]*\\.)+");
  /** Blanks next to the punctuation of a generic or array type name. */
  private static final Pattern BLANKS = Pattern.compile("\\s*([<>,\\[\\]])\\s*");

  private TypeNames() {}

  /**
   * The name of {@code type} as Java writes it, generics included: {@code
   * java.util.List<java.lang.String>}.
   */
  public static String of(Type type) {
    return type.getTypeName();
  }

  /**
   * Whether {@code requested} names {@code parameter}: its full name ({@code java.lang.String},
   * {@code byte[]}, {@code [B}), its simple name ({@code String}), its canonical name ({@code
   * a.Outer.Inner}), or its generic name with or without packages ({@code
   * java.util.List<java.lang.String>}, {@code List<String>}). Blanks around {@code < > , [ ]} do
   * not count, and {@code ...} stands for {@code []}.
   */
  public static boolean matches(String requested, Class<?> parameter, Type genericParameter) {
    String name = normalize(requested);
    String generic = normalize(genericParameter.getTypeName());
    return name.equals(parameter.getName())
        || name.equals(parameter.getTypeName())
        || name.equals(parameter.getSimpleName())
        || name.equals(parameter.getCanonicalName())
        || name.equals(generic)
        || name.equals(PACKAGES.matcher(generic).replaceAll(""));
  }

  private static String normalize(String name) {
    return BLANKS.matcher(name.strip().replace("...", "[]")).replaceAll("$1");
  }
}
