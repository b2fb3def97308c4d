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
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Converts between protobuf's JSON values ({@code google.protobuf.Value}, what grpcurl sends) and
 * Jackson trees. Integers beyond ±2^53 and decimals travel as strings, so none loses precision.
 */
public final class JsonValues {
  /** The largest integer a double (and so a JSON number in most languages) holds exactly. */
  static final long MAX_SAFE_INTEGER = 1L << 53;

  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private JsonValues() {}

  /**
   * The arguments of a ListValue, one tree each.
   *
   * @throws IllegalArgumentException when there are more than {@code maxArguments} or they nest
   *     deeper than {@code maxDepth}
   */
  public static List<Object> arguments(ListValue args, int maxArguments, int maxDepth) {
    if (args.getValuesCount() > maxArguments) {
      throw new IllegalArgumentException(
          args.getValuesCount() + " arguments, more than the limit of " + maxArguments);
    }
    List<Object> items = new ArrayList<>(args.getValuesCount());
    for (Value value : args.getValuesList()) {
      items.add(toNode(value, maxDepth));
    }
    return items;
  }

  /** The tree of {@code value}; integral numbers become integers, so they fit int parameters. */
  public static JsonNode toNode(Value value, int maxDepth) {
    if (maxDepth < 0) {
      throw new IllegalArgumentException("arguments nest deeper than the limit");
    }
    switch (value.getKindCase()) {
      case NUMBER_VALUE: {
        double d = value.getNumberValue();
        if (d == Math.rint(d) && Math.abs(d) <= MAX_SAFE_INTEGER) {
          return NODES.numberNode((long) d);
        }
        return NODES.numberNode(d);
      }
      case STRING_VALUE:
        return NODES.textNode(value.getStringValue());
      case BOOL_VALUE:
        return NODES.booleanNode(value.getBoolValue());
      case STRUCT_VALUE: {
        ObjectNode object = NODES.objectNode();
        for (Map.Entry<String, Value> e : value.getStructValue().getFieldsMap().entrySet()) {
          object.set(e.getKey(), toNode(e.getValue(), maxDepth - 1));
        }
        return object;
      }
      case LIST_VALUE: {
        ArrayNode array = NODES.arrayNode();
        for (Value item : value.getListValue().getValuesList()) {
          array.add(toNode(item, maxDepth - 1));
        }
        return array;
      }
      case NULL_VALUE:
      case KIND_NOT_SET:
      default:
        return NODES.nullNode();
    }
  }

  /**
   * The protobuf value of {@code node}. Integers beyond ±2^53, big integers and decimals become
   * strings; binary data becomes base64 text, as Jackson writes it in JSON.
   */
  public static Value toValue(JsonNode node, int maxDepth) {
    if (maxDepth < 0) {
      throw new IllegalArgumentException("the result nests deeper than the limit");
    }
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
        ListValue.Builder list = ListValue.newBuilder();
        for (JsonNode item : node) {
          list.addValues(toValue(item, maxDepth - 1));
        }
        return value.setListValue(list).build();
      }
      case OBJECT: {
        Struct.Builder struct = Struct.newBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          struct.putFields(e.getKey(), toValue(e.getValue(), maxDepth - 1));
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

  private static Value number(JsonNode node) {
    Value.Builder value = Value.newBuilder();
    if (node.isIntegralNumber()) {
      if (node.canConvertToLong()) {
        long l = node.longValue();
        if (Math.abs(l) <= MAX_SAFE_INTEGER) {
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
