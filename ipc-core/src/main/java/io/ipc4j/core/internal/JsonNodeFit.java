package io.ipc4j.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * How well an argument tree fits a parameter class, for choosing among overloads that all accept
 * it (a Jackson serializer's {@link Serializer#fit}): 6 is the parameter the value naturally
 * reads as ({@code 5} to an {@code int}), lower is a looser fit, 0 is none.
 */
final class JsonNodeFit {
  private JsonNodeFit() {}

  static int of(JsonNode node, Class<?> p) {
    if (p == Object.class) {
      return 1;
    }
    if (node.isIntegralNumber()) {
      if (p == int.class || p == Integer.class) {
        return node.canConvertToInt() ? 6 : 0;
      }
      if (p == long.class || p == Long.class) {
        return 5;
      }
      if (p == short.class || p == Short.class || p == byte.class || p == Byte.class
          || p == BigInteger.class) {
        return 4;
      }
      return Number.class.isAssignableFrom(p) || p == double.class || p == float.class ? 3 : 0;
    }
    if (node.isNumber()) {
      if (p == double.class || p == Double.class) {
        return 6;
      }
      return p == float.class || p == Float.class || p == BigDecimal.class ? 5
          : Number.class.isAssignableFrom(p) ? 3 : 0;
    }
    if (node.isTextual()) {
      if (p == String.class || p == CharSequence.class) {
        return 6;
      }
      return p == char.class || p == Character.class || p.isEnum() ? 5 : 2;
    }
    if (node.isBoolean()) {
      return p == boolean.class || p == Boolean.class ? 6 : 0;
    }
    if (node.isArray()) {
      return p.isArray() || Collection.class.isAssignableFrom(p) ? 6 : 2;
    }
    if (node.isObject()) {
      return Map.class.isAssignableFrom(p) ? 5 : p.getName().startsWith("java.") ? 2 : 5;
    }
    if (node.isBinary()) {
      return p == byte[].class ? 6 : 2;
    }
    return node.isNull() && !p.isPrimitive() ? 3 : 0;
  }
}
