package io.ipc4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.ipc4j.core.Limits;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ListValue form (what grpcurl sends) to Jackson trees and back: numbers keep their precision
 * by travelling as strings when a double cannot hold them, and nesting is bounded both ways.
 */
class JsonValuesTest {
  private static final long TWO_TO_53 = 1L << 53;
  private static final JacksonSerializer JSON = Serializers.of(List.of("json"), Limits.defaults())
      .json();
  private static final ObjectMapper MAPPER = JSON.mapper();

  private static Value number(double d) {
    return Value.newBuilder().setNumberValue(d).build();
  }

  private static Value string(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  private static Value list(Value... values) {
    return Value.newBuilder().setListValue(ListValue.newBuilder().addAllValues(List.of(values)))
        .build();
  }

  private static Value struct(String key, Value value) {
    return Value.newBuilder().setStructValue(Struct.newBuilder().putFields(key, value)).build();
  }

  private static ListValue args(Value... values) {
    return ListValue.newBuilder().addAllValues(List.of(values)).build();
  }

  /** The value a server sends for {@code result}. */
  private static Value result(Object result) {
    return JsonValues.toValue(MAPPER.valueToTree(result), 64);
  }

  private static Value nested(int levels) {
    Value v = number(1);
    for (int i = 0; i < levels; i++) {
      v = list(v);
    }
    return v;
  }

  // ---- Value to tree

  @Test
  void integralDoublesBecomeIntegers() {
    JsonNode three = JsonValues.toNode(number(3.0), 8);
    JsonNode limit = JsonValues.toNode(number(TWO_TO_53), 8);
    JsonNode negative = JsonValues.toNode(number(-42), 8);

    assertTrue(three.isIntegralNumber() && three.canConvertToInt());
    assertEquals(3, JSON.convert(three, int.class));
    assertEquals(3L, JSON.convert(three, Object.class));
    assertEquals(TWO_TO_53, JSON.convert(limit, long.class));
    assertEquals(-42, JSON.convert(negative, Integer.class));
  }

  @Test
  void integralDoublesBeyondTwoToThe53AreTheIntegersTheyHold() {
    JsonNode big = JsonValues.toNode(number(1e17), 8);
    JsonNode min = JsonValues.toNode(number(-0x1p63), 8);

    assertEquals(100_000_000_000_000_000L, JSON.convert(big, long.class));
    assertEquals(Long.MIN_VALUE, JSON.convert(min, long.class));
  }

  @Test
  void fractionsAndDoublesBeyondLongStayDoubles() {
    JsonNode half = JsonValues.toNode(number(1.5), 8);
    JsonNode huge = JsonValues.toNode(number(0x1p63), 8);

    assertTrue(half.isDouble());
    assertTrue(huge.isDouble());
    assertEquals(1.5, JSON.convert(half, Object.class));
    assertThrows(IllegalArgumentException.class, () -> JSON.convert(half, int.class));
  }

  @Test
  void convertsEveryKind() {
    Value value = Value.newBuilder().setStructValue(Struct.newBuilder()
        .putFields("s", string("text"))
        .putFields("b", Value.newBuilder().setBoolValue(true).build())
        .putFields("n", Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build())
        .putFields("unset", Value.getDefaultInstance())
        .putFields("l", list(number(1), number(2.5))))
        .build();

    Object converted = JSON.convert(JsonValues.toNode(value, 8), Object.class);

    Map<String, Object> expected = new HashMap<>();
    expected.put("s", "text");
    expected.put("b", true);
    expected.put("n", null);
    expected.put("unset", null);
    expected.put("l", List.of(1L, 2.5));
    assertEquals(expected, converted);
  }

  @Test
  void stringsAndKeysAreBoundedByMaxStringLength() {
    assertEquals(1, JsonValues.arguments(args(string("x".repeat(5))), 8, 8, 5).size());
    IllegalArgumentException value = assertThrows(IllegalArgumentException.class,
        () -> JsonValues.arguments(args(string("x".repeat(6))), 8, 8, 5));
    assertEquals("arguments exceed the maxStringLength limit (5)", value.getMessage());
    Value longKey = Value.newBuilder().setStructValue(com.google.protobuf.Struct.newBuilder()
        .putFields("k".repeat(6), number(1))).build();
    IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
        () -> JsonValues.arguments(args(longKey), 8, 8, 5));
    assertEquals("arguments exceed the maxStringLength limit (5)", key.getMessage());
  }

  @Test
  void stringsCarryWhatADoubleCannot() {
    List<Object> items = JsonValues.arguments(
        args(string("9007199254740993"), string("1.10"), string("NaN"), string("AAEC")), 8, 8,
        100);

    assertEquals(TWO_TO_53 + 1, JSON.convert(items.get(0), long.class));
    assertEquals(new BigDecimal("1.10"), JSON.convert(items.get(1), BigDecimal.class));
    assertTrue(Double.isNaN((Double) JSON.convert(items.get(2), double.class)));
    assertEquals(List.of((byte) 0, (byte) 1, (byte) 2),
        toList((byte[]) JSON.convert(items.get(3), byte[].class)));
  }

  private static List<Byte> toList(byte[] bytes) {
    List<Byte> list = new ArrayList<>();
    for (byte b : bytes) {
      list.add(b);
    }
    return list;
  }

  // ---- tree to Value

  @Test
  void safeIntegersAreNumbers() {
    assertEquals(number(TWO_TO_53), result(TWO_TO_53));
    assertEquals(number(-TWO_TO_53), result(-TWO_TO_53));
    assertEquals(number(7), result(7));
    assertEquals(number(2.5), result(2.5));
  }

  @Test
  void integersBeyondTwoToThe53BecomeStrings() {
    assertEquals(string("9007199254740993"), result(TWO_TO_53 + 1));
    assertEquals(string("-9007199254740993"), result(-TWO_TO_53 - 1));
    assertEquals(string("9223372036854775807"), result(Long.MAX_VALUE));
    assertEquals(string("-9223372036854775808"), result(Long.MIN_VALUE));
    assertEquals(string("123456789012345678901234567890"),
        result(new BigInteger("123456789012345678901234567890")));
    assertEquals(number(5), result(BigInteger.valueOf(5)));
  }

  @Test
  void bigDecimalsBecomeExactStrings() {
    assertEquals(string("1.10"), result(new BigDecimal("1.10")));
    assertEquals(string("0.1000000000000000000000000001"),
        result(new BigDecimal("0.1000000000000000000000000001")));
    assertEquals(list(string("2.50")), result(List.of(new BigDecimal("2.50"))));
  }

  @Test
  void nonFiniteDoublesBecomeTheirProto3JsonStrings() {
    assertEquals(string("NaN"), result(Double.NaN));
    assertEquals(string("Infinity"), result(Double.POSITIVE_INFINITY));
    assertEquals(string("-Infinity"), result(Float.NEGATIVE_INFINITY));
  }

  @Test
  void binaryBecomesBase64AsJacksonWritesIt() throws Exception {
    byte[] bytes = {0, 1, 2, (byte) 0xfb, (byte) 0xff};
    String jackson = new String(MAPPER.writeValueAsBytes(bytes), StandardCharsets.UTF_8);

    Value value = JsonValues.toValue(MAPPER.getNodeFactory().binaryNode(bytes), 8);

    assertEquals(string("AAEC+/8="), value);
    assertEquals("\"AAEC+/8=\"", jackson);
  }

  @Test
  void aResultRoundTripsToTheClientsType() {
    record Account(long id, BigDecimal balance, List<Long> history) {}
    Account account = new Account(TWO_TO_53 + 3, new BigDecimal("10.00"), List.of(Long.MIN_VALUE));

    Object back = JSON.convert(JsonValues.toNode(result(account), 8), Account.class);

    assertEquals(account, back);
  }

  // ---- limits

  @Test
  void boundsNestingOfAValue() {
    assertEquals(4, depth(JsonValues.toNode(nested(4), 4)));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JsonValues.toNode(nested(5), 4));
    assertEquals("the value exceeds the maxDepth limit (4)", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> JsonValues.toNode(struct("a", struct("b", number(1))), 1));
  }

  @Test
  void argumentsCountTheirListAsALevelAsPayloadsDo() {
    Limits limits = Limits.defaults().withMaxDepth(4);
    Serializer payload = Serializers.of(List.of("json"), limits).get("json");
    Serializer writer = Serializers.of(List.of("json"), Limits.defaults()).get("json");

    assertEquals(1, JsonValues.arguments(args(nested(3)), 8, 4, 100).size());
    assertEquals(1, payload.readArguments(writer.writeArguments(new Object[] {
        List.of(List.of(List.of(1)))})).size());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JsonValues.arguments(args(number(1), nested(4)), 8, 4, 100));
    assertEquals("arguments exceed the maxDepth limit (4)", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> payload.readArguments(
        writer.writeArguments(new Object[] {List.of(List.of(List.of(List.of(1))))})));
  }

  @Test
  void boundsNestingOfAResult() {
    JsonNode deep = MAPPER.valueToTree(List.of(List.of(List.of(Map.of("k", 1)))));

    assertEquals(list(list(list(struct("k", number(1))))), JsonValues.toValue(deep, 4));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JsonValues.toValue(deep, 3));
    assertEquals("the result exceeds the maxDepth limit (3)", e.getMessage());
  }

  @Test
  void boundsTheNumberOfArguments() {
    assertEquals(3, JsonValues.arguments(args(number(1), number(2), number(3)), 3, 8, 100).size());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JsonValues.arguments(args(number(1), number(2), number(3), number(4)), 3, 8,
            100));
    assertEquals("arguments exceed the maxArguments limit (3)", e.getMessage());
  }

  private static int depth(JsonNode node) {
    int deepest = 0;
    for (JsonNode child : node) {
      deepest = Math.max(deepest, depth(child));
    }
    return node.isContainerNode() ? deepest + 1 : 0;
  }
}
