package io.ipc4j.core.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import io.ipc4j.core.Limits;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a peer's bytes cannot do to a JSON or CBOR reader: cost more than linear time (runs of CBOR
 * tags, numbers with huge exponents), lose a bignum's sign, hide a duplicate key, or fill a bean
 * through its getters.
 */
class StrictDecodingTest {
  record Point(int x, int y) {}

  /** A bean with a read-only property: no setter, so no client may fill it. */
  public static final class GetterOnly {
    private final List<String> items = new ArrayList<>();

    public List<String> getItems() {
      return items;
    }
  }

  private static JacksonSerializer serializer(String name) {
    return serializer(name, Limits.defaults());
  }

  private static JacksonSerializer serializer(String name, Limits limits) {
    return (JacksonSerializer) Serializers.of(List.of(name), limits).get(name);
  }

  private static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  private static String refused(Serializer s, byte[] data) {
    return assertThrows(IllegalArgumentException.class, () -> s.readArguments(data)).getMessage();
  }

  private static String refused(Serializer s, String json) {
    return refused(s, json.getBytes(UTF_8));
  }

  /** The only argument of {@code data}, converted as a server does. */
  private static Object convert(Serializer s, byte[] data, Class<?> type) {
    List<Object> items = s.readArguments(data);
    assertEquals(1, items.size());
    return s.convert(items.get(0), type);
  }

  private static String notConverted(Serializer s, Object value, Class<?> type) {
    Object item = s.readArguments(s.writeArguments(new Object[] {value})).get(0);
    return assertThrows(IllegalArgumentException.class, () -> s.convert(item, type)).getMessage();
  }

  // ---- decoding costs linear time

  /** An array holding one value that carries {@code count} tags (tag 6), then the integer 1. */
  private static byte[] taggedArgument(int count) {
    byte[] data = new byte[count + 2];
    data[0] = (byte) 0x81;
    Arrays.fill(data, 1, count + 1, (byte) 0xc6);
    data[count + 1] = 0x01;
    return data;
  }

  @Test
  void aRunOfCborTagsIsRefusedBeforeJacksonReadsIt() {
    JacksonSerializer s = serializer("cbor");
    byte[] run = taggedArgument(300_000);
    byte[] trailing = Arrays.copyOf(hex("8101"), 300_003);
    Arrays.fill(trailing, 2, 300_002, (byte) 0xc6);
    trailing[300_002] = 0x01;

    assertEquals("malformed cbor arguments: more than 4 tags on one value at byte 1",
        refused(s, run));
    assertEquals("malformed cbor arguments: more than 4 tags on one value at byte 2",
        refused(s, trailing), "after the argument array, too");
    assertNull(s.readScalarArguments(ByteString.copyFrom(run),
        new JacksonSerializer.Scalar[] {JacksonSerializer.Scalar.INT}));
    assertEquals("cannot read a java.lang.Object from cbor: more than 4 tags on one value at byte 0",
        assertThrows(SerializationException.class, () -> s.readValue(
            Arrays.copyOfRange(run, 1, run.length), Object.class)).getMessage());
    assertEquals(1L, convert(s, taggedArgument(4), Object.class), "four tags are fine");
  }

  @Test
  void cborLengthsBeyondThePayloadAreRefusedBeforeJacksonReadsThem() {
    JacksonSerializer s = serializer("cbor");

    assertEquals("malformed cbor arguments: the head at byte 1 declares 2147483647 bytes but 1"
        + " byte remains", refused(s, hex("81 5a7fffffff 01")));
    assertEquals("malformed cbor arguments: the head at byte 0 declares 4294967295 items but 0"
        + " bytes remain", refused(s, hex("9affffffff")));
    assertEquals("cannot read a java.lang.String from cbor: the head at byte 0 declares 2147483647"
        + " bytes but 0 bytes remain", assertThrows(SerializationException.class,
            () -> s.readValue(hex("7a7fffffff"), String.class)).getMessage());
  }

  @Test
  void nestedIndefiniteCborLengthsAreHeldToTheDepthLimit() {
    JacksonSerializer s = serializer("cbor", Limits.defaults().withMaxDepth(8));
    byte[] deep = new byte[9];
    Arrays.fill(deep, (byte) 0x9f);

    assertEquals("cbor arguments exceed the maxDepth limit (8)", refused(s, deep));
    assertEquals("cannot read a java.lang.Object from cbor: it exceeds the maxDepth limit (8)",
        assertThrows(SerializationException.class, () -> s.readValue(deep, Object.class))
            .getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void decimalScalesAreBounded(String format) {
    JacksonSerializer s = serializer(format);
    JacksonSerializer twenty = serializer(format, Limits.defaults().withMaxScale(20));
    String exceeds = format + " arguments exceed the maxScale limit (10000)";

    assertEquals(new BigDecimal("1e10000"),
        convert(s, s.writeArguments(new Object[] {new BigDecimal("1e10000")}), BigDecimal.class));
    assertEquals(new BigDecimal("1e-10000"),
        convert(s, s.writeArguments(new Object[] {new BigDecimal("1e-10000")}), BigDecimal.class));
    assertEquals(exceeds, refused(s, s.writeArguments(new Object[] {new BigDecimal("1e10001")})));
    assertEquals(exceeds, refused(s, s.writeArguments(new Object[] {new BigDecimal("1e-10001")})));
    assertEquals(exceeds,
        refused(s, s.writeArguments(new Object[] {new BigDecimal("1e999999999")})));
    assertEquals(format + " arguments exceed the maxScale limit (20)",
        refused(twenty, s.writeArguments(new Object[] {new BigDecimal("1e21")})));
    assertEquals("the scale of 1E+999999999 exceeds the maxScale limit (10000)",
        notConverted(s, "1e999999999", BigDecimal.class), "sent as text");
    assertEquals("cannot read a java.math.BigDecimal from " + format + ": the scale of 1E+10001"
        + " exceeds the maxScale limit (10000)", assertThrows(SerializationException.class,
            () -> s.readValue(s.writeValue(new BigDecimal("1e10001"), BigDecimal.class),
                BigDecimal.class)).getMessage());
  }

  @Test
  void hugeExponentsInJsonAreRefusedBeforeAnyParameterSeesThem() {
    JacksonSerializer s = serializer("json");

    assertEquals("json arguments exceed the maxScale limit (10000)", refused(s, "[1e1000000]"));
    assertEquals("json arguments exceed the maxScale limit (10000)", refused(s, "[1e999999999]"));
    assertEquals("json arguments exceed the maxScale limit (10000)",
        refused(s, "[{\"a\": [-2.5E-999999999]}]"));
    assertEquals(1e300, convert(s, "[1e300]".getBytes(UTF_8), Object.class));
  }

  @Test
  void aCborDecimalFractionsExponentIsAScaleToo() {
    JacksonSerializer s = serializer("cbor");

    // Tag 4: [exponent, mantissa]; 1 × 10^999999999, then 15 × 10^-2.
    assertEquals("cbor arguments exceed the maxScale limit (10000)",
        refused(s, hex("81 c4 82 1a3b9ac9ff 01")));
    assertEquals(new BigDecimal("0.15"), convert(s, hex("81 c4 82 21 0f"), BigDecimal.class));
    assertEquals("cannot read a java.lang.Object from cbor: the scale of 1E+999999999 exceeds the"
        + " maxScale limit (10000)", assertThrows(SerializationException.class,
            () -> s.readValue(hex("c4 82 1a3b9ac9ff 01"), Object.class)).getMessage(),
        "a result read untyped");
  }

  // ---- strict types

  @Test
  void cborBignumsKeepTheirSignAndMagnitude() {
    JacksonSerializer s = serializer("cbor");
    BigInteger twoTo64 = BigInteger.ONE.shiftLeft(64);
    byte[] positive = hex("81 c2 49 010000000000000000"); // tag 2: n
    byte[] negative = hex("81 c3 49 010000000000000000"); // tag 3: -1 - n
    byte[] small = hex("81 c3 41 05");

    assertEquals(twoTo64, convert(s, positive, BigInteger.class));
    assertEquals(twoTo64, convert(s, positive, Object.class));
    assertEquals(twoTo64.negate().subtract(BigInteger.ONE), convert(s, negative, BigInteger.class));
    assertEquals(twoTo64.negate().subtract(BigInteger.ONE), convert(s, negative, Object.class));
    assertEquals(-6L, convert(s, small, long.class));
    assertEquals(-6L, convert(s, small, Object.class), "a bignum that fits is a Long");
    assertEquals(BigInteger.valueOf(-6), convert(s, small, BigInteger.class));
    assertEquals(5L, convert(s, hex("81 c2 41 05"), Object.class));
    assertEquals(BigInteger.valueOf(-6),
        s.readValue(hex("c3 41 05"), BigInteger.class), "results too");
  }

  @Test
  void negativeBigIntegersAreWrittenAsRfc8949Bignums() {
    JacksonSerializer s = serializer("cbor");
    BigInteger value = BigInteger.ONE.shiftLeft(64).negate().subtract(BigInteger.ONE);

    assertArrayEquals(hex("81 c3 49 010000000000000000"), s.writeArguments(new Object[] {value}));
    assertEquals(value, convert(s, s.writeArguments(new Object[] {value}), BigInteger.class));
    assertEquals(value, s.readValue(s.writeValue(value, BigInteger.class), BigInteger.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void duplicateKeysAreAnErrorNamingTheKey(String format) {
    JacksonSerializer s = serializer(format);
    byte[] map = format.equals("json") ? "[{\"a\": 1, \"a\": 2}]".getBytes(UTF_8)
        : hex("81 a2 6161 01 6161 02");
    byte[] point = format.equals("json") ? "[{\"x\": 1, \"y\": 2, \"x\": 3}]".getBytes(UTF_8)
        : hex("81 a3 6178 01 6179 02 6178 03");
    byte[] nested = format.equals("json") ? "[[{\"k\": {\"b\": 1, \"b\": 1}}]]".getBytes(UTF_8)
        : hex("81 81 a1 616b a2 6162 01 6162 01");

    assertEquals("malformed " + format + " arguments: Duplicate field 'a'", refused(s, map));
    assertEquals("malformed " + format + " arguments: Duplicate field 'x'", refused(s, point));
    assertEquals("malformed " + format + " arguments: Duplicate field 'b'", refused(s, nested));
    byte[] value = Arrays.copyOfRange(map, 1, map.length - (format.equals("json") ? 1 : 0));
    assertEquals("cannot read a java.util.Map from " + format + ": Duplicate field 'a'",
        assertThrows(SerializationException.class, () -> s.readValue(value, Map.class))
            .getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void aBeanIsNeverFilledThroughItsGetters(String format) {
    JacksonSerializer s = serializer(format);

    assertEquals("Unrecognized field \"items\" (class " + GetterOnly.class.getName()
        + "), not marked as ignorable (at items)",
        notConverted(s, Map.of("items", List.of("x")), GetterOnly.class));
    assertEquals(new Point(1, 2), convert(s, s.writeArguments(
        new Object[] {Map.of("x", 1, "y", 2)}), Point.class), "constructors still work");
  }
}
