package io.ipc4j.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Converts between protobuf's JSON values ({@code google.protobuf.Value}, what grpcurl sends) and
 * Jackson trees. Integers beyond ±2^53 and BigDecimals travel as strings, so none loses
 * precision.
 */
public final class JsonValues {
  /** The largest integer a double (and so a JSON number in most languages) holds exactly. */
  static final long MAX_SAFE_INTEGER = 1L << 53;
  /** 2^63 as a double: the integral doubles below it in magnitude fit a long. */
  private static final double TWO_TO_63 = 0x1p63;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonValues() {}

  /**
   * The arguments of a ListValue, one tree each. The list counts as one level of nesting, as the
   * array of an encoded payload does.
   *
   * @throws IllegalArgumentException when there are more than {@code maxArguments}, they nest
   *     deeper than {@code maxDepth} or hold a string (or key) longer than {@code maxStringLength}
   */
  public static List<Object> arguments(
      ListValue args, int maxArguments, int maxDepth, int maxStringLength) {
    if (args.getValuesCount() > maxArguments) {
      throw new IllegalArgumentException(
          "arguments exceed the maxArguments limit (" + maxArguments + ")");
    }
    List<Object> items = new ArrayList<>(args.getValuesCount());
    for (Value value : args.getValuesList()) {
      items.add(toNode(value, maxDepth, maxDepth - 1, "arguments exceed", maxStringLength));
    }
    return items;
  }

  /**
   * The tree of {@code value}; integral numbers that fit a long become integers, so they fit int
   * and long parameters.
   *
   * @throws IllegalArgumentException when its lists and structs nest deeper than {@code maxDepth}
   */
  public static JsonNode toNode(Value value, int maxDepth) {
    return toNode(value, maxDepth, maxDepth, "the value exceeds", Integer.MAX_VALUE);
  }

  private static JsonNode toNode(
      Value value, int maxDepth, int levelsLeft, String what, int maxString) {
    switch (value.getKindCase()) {
      case NUMBER_VALUE: {
        double d = value.getNumberValue();
        // Exact as the double is: 1e17 is the integer 100000000000000000.
        if (d == Math.rint(d) && d >= -TWO_TO_63 && d < TWO_TO_63) {
          return NODES.numberNode((long) d);
        }
        return NODES.numberNode(d);
      }
      case STRING_VALUE:
        return NODES.textNode(checkLength(value.getStringValue(), maxString, what));
      case BOOL_VALUE:
        return NODES.booleanNode(value.getBoolValue());
      case STRUCT_VALUE: {
        checkDepth(levelsLeft, maxDepth, what);
        ObjectNode object = NODES.objectNode();
        for (Map.Entry<String, Value> e : value.getStructValue().getFieldsMap().entrySet()) {
          object.set(checkLength(e.getKey(), maxString, what),
              toNode(e.getValue(), maxDepth, levelsLeft - 1, what, maxString));
        }
        return object;
      }
      case LIST_VALUE: {
        checkDepth(levelsLeft, maxDepth, what);
        ArrayNode array = NODES.arrayNode();
        for (Value item : value.getListValue().getValuesList()) {
          array.add(toNode(item, maxDepth, levelsLeft - 1, what, maxString));
        }
        return array;
      }
      case NULL_VALUE:
      case KIND_NOT_SET:
      default:
        return NODES.nullNode();
    }
  }

  private static String checkLength(String s, int maxString, String what) {
    if (s.length() > maxString) {
      throw new IllegalArgumentException(
          what + " the maxStringLength limit (" + maxString + ")");
    }
    return s;
  }

  /**
   * The protobuf value of {@code node}. Integers beyond ±2^53, big integers and decimals become
   * strings; binary data becomes base64 text, as Jackson writes it in JSON.
   *
   * @throws IllegalArgumentException when its arrays and objects nest deeper than {@code maxDepth}
   */
  public static Value toValue(JsonNode node, int maxDepth) {
    return toValue(node, maxDepth, maxDepth);
  }

  private static Value toValue(JsonNode node, int maxDepth, int levelsLeft) {
    Value.Builder value = Value.newBuilder();
    switch (node.getNodeType()) {
      case NUMBER:
        return number(node);
      case STRING:
        return value.setStringValue(node.textValue()).build();
      case BOOLEAN:
        return value.setBoolValue(node.booleanValue()).build();
      case BINARY:
        return value.setStringValue(Base64.getEncoder().encodeToString(binary(node))).build();
      case ARRAY: {
        checkDepth(levelsLeft, maxDepth, "the result exceeds");
        ListValue.Builder list = ListValue.newBuilder();
        for (JsonNode item : node) {
          list.addValues(toValue(item, maxDepth, levelsLeft - 1));
        }
        return value.setListValue(list).build();
      }
      case OBJECT: {
        checkDepth(levelsLeft, maxDepth, "the result exceeds");
        Struct.Builder struct = Struct.newBuilder();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          struct.putFields(e.getKey(), toValue(e.getValue(), maxDepth, levelsLeft - 1));
        }
        return value.setStructValue(struct).build();
      }
      case POJO:
        return value.setStringValue(node.asText()).build();
      case NULL:
      case MISSING:
      default:
        return value.setNullValue(NullValue.NULL_VALUE).build();
    }
  }

  private static void checkDepth(int levelsLeft, int maxDepth, String what) {
    if (levelsLeft < 1) {
      throw new IllegalArgumentException(what + " the maxDepth limit (" + maxDepth + ")");
    }
  }

  private static Value number(JsonNode node) {
    Value.Builder value = Value.newBuilder();
    if (node.isIntegralNumber()) {
      if (node.canConvertToLong()) {
        long l = node.longValue();
        if (l >= -MAX_SAFE_INTEGER && l <= MAX_SAFE_INTEGER) {
          return value.setNumberValue(l).build();
        }
      }
      BigInteger big = node.bigIntegerValue();
      return value.setStringValue(big.toString()).build();
    }
    if (node.isBigDecimal()) {
      BigDecimal decimal = node.decimalValue();
      return value.setStringValue(decimal.toString()).build();
    }
    double d = node.doubleValue();
    if (Double.isFinite(d)) {
      return value.setNumberValue(d).build();
    }
    // JSON has no NaN or infinities; proto3 JSON writes them as these strings.
    return value.setStringValue(Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity").build();
  }

  private static byte[] binary(JsonNode node) {
    try {
      return node.binaryValue();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
