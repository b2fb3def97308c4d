package io.ipc4j.core.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.ipc4j.core.Limits;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JSON and CBOR serializers: arguments read into trees and converted to parameter types,
 * results written and read back, no class named by a peer ever loaded, limits and malformed input.
 */
class JacksonSerializerTest {
  static final AtomicBoolean TRIPWIRE_INITIALIZED = new AtomicBoolean();
  static final AtomicBoolean PLAIN_TRIPWIRE_INITIALIZED = new AtomicBoolean();

  record Point(int x, int y) {}

  record Line(Point from, Point to, String label) {}

  enum Color { RED, GREEN }

  interface Shape {}

  record Circle(double radius) implements Shape {}

  /** Asks for class-name type ids, which a peer could abuse to pick a class to instantiate. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
  abstract static class Polymorphic {}

  /** Tells whether Jackson ever loaded it: its static initializer runs when it is loaded. */
  static final class Tripwire extends Polymorphic {
    static {
      TRIPWIRE_INITIALIZED.set(true);
    }

    public int x;
  }

  /** As {@link Tripwire}, named in an argument for an Object parameter. */
  static final class PlainTripwire {
    static {
      PLAIN_TRIPWIRE_INITIALIZED.set(true);
    }

    public int x;
  }

  /** A bean whose getter fails, so that it cannot be written. */
  static final class Unwritable {
    public String getValue() {
      throw new IllegalStateException("no value today");
    }
  }

  /**
   * Plain arguments and results (ints, longs, booleans, strings, nulls) are written and read by a
   * shortcut; it must give exactly the bytes and values Jackson's mapper gives, in both formats.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"json", "cbor"})
  void plainValuesTakeAShortcutThatWritesAndReadsWhatTheMapperDoes(String format)
      throws Exception {
    JacksonSerializer s = (JacksonSerializer) serializer(format);
    List<Object[]> argumentLists = List.of(new Object[0], new Object[] {1, 2},
        new Object[] {Integer.MIN_VALUE, Long.MAX_VALUE, -1L, 0, 23, 24, 255, 256, 65536},
        new Object[] {"", "text", "\u00e9\u20ac\ud83d\ude00", null, true, false},
        new Object[] {null}, new Object[] {"x".repeat(70_000)});
    for (Object[] args : argumentLists) {
      assertArrayEquals(s.mapper().writeValueAsBytes(args), s.writeArguments(args),
          Arrays.toString(args));
    }
    Object[][] values = {{42, int.class}, {42, Integer.class}, {-7L, long.class},
        {1L << 40, Long.class}, {true, boolean.class}, {false, Boolean.class},
        {"r\u00e9sum\u00e9", String.class}, {"", Object.class}, {null, Integer.class},
        {5, Object.class}};
    for (Object[] v : values) {
      byte[] written = s.writeValue(v[0], (Type) v[1]);
      assertArrayEquals(s.mapper().writeValueAsBytes(v[0]), written, String.valueOf(v[0]));
      Object read = s.readValue(com.google.protobuf.ByteString.copyFrom(written), (Type) v[1]);
      assertEquals(s.mapper().readValue(written, s.mapper().constructType((Type) v[1])), read,
          String.valueOf(v[0]));
      if (v[1] != Object.class) {
        assertEquals(v[0], read);
      }
    }
    // What the shortcut does not take goes the full way, with its errors.
    byte[] big = s.writeValue(1L << 40, Long.class);
    assertEquals("cannot read a int from " + format + ": ",
        assertThrows(SerializationException.class, () -> s.readValue(
            com.google.protobuf.ByteString.copyFrom(big), int.class)).getMessage()
            .substring(0, ("cannot read a int from " + format + ": ").length()));
    assertEquals(3L, s.readValue(com.google.protobuf.ByteString.copyFrom(
        s.writeValue(3, int.class)), long.class));
  }

  private static Serializer serializer(String name) {
    return serializer(name, Limits.defaults());
  }

  private static Serializer serializer(String name, Limits limits) {
    return Serializers.of(List.of(name), limits).get(name);
  }

  private static Type type(TypeReference<?> reference) {
    return reference.getType();
  }

  /** {@code value} sent as the only argument and converted to {@code type}, as a server does. */
  private static Object pass(Serializer serializer, Object value, Type type) {
    List<Object> items = serializer.readArguments(serializer.writeArguments(new Object[] {value}));
    assertEquals(1, items.size());
    return serializer.convert(items.get(0), type);
  }

  private static Object back(Serializer serializer, Object value, Type type) {
    return serializer.readValue(serializer.writeValue(value, type), type);
  }

  private static IllegalArgumentException rejected(Serializer serializer, byte[] data) {
    return assertThrows(IllegalArgumentException.class, () -> serializer.readArguments(data));
  }

  // ---- arguments converted to parameter types

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void readsOneItemPerArgument(String format) {
    Serializer s = serializer(format);

    List<Object> items = s.readArguments(s.writeArguments(new Object[] {1, "two", null, true}));

    assertEquals(4, items.size());
    assertEquals(1, s.convert(items.get(0), int.class));
    assertEquals("two", s.convert(items.get(1), String.class));
    assertNull(s.convert(items.get(2), String.class));
    assertEquals(true, s.convert(items.get(3), boolean.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void noArgumentsIsAnEmptyArray(String format) {
    Serializer s = serializer(format);

    assertEquals(List.of(), s.readArguments(s.writeArguments(null)));
    assertEquals(List.of(), s.readArguments(s.writeArguments(new Object[0])));
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void convertsRecordsAndEnums(String format) {
    Serializer s = serializer(format);
    Line line = new Line(new Point(1, 2), new Point(-3, 4), "diagonal");

    assertEquals(line, pass(s, line, Line.class));
    assertEquals(Color.GREEN, pass(s, Color.GREEN, Color.class));
    assertEquals(List.of(Color.RED),
        pass(s, List.of(Color.RED), type(new TypeReference<List<Color>>() {})));
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void convertsOptionals(String format) {
    Serializer s = serializer(format);
    Type optionalPoint = type(new TypeReference<Optional<Point>>() {});

    assertEquals(Optional.of(new Point(1, 2)),
        pass(s, Optional.of(new Point(1, 2)), optionalPoint));
    assertEquals(Optional.empty(), pass(s, Optional.empty(), optionalPoint));
    assertEquals(Optional.empty(), pass(s, null, optionalPoint));
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void convertsJavaTime(String format) {
    Serializer s = serializer(format);
    Instant instant = Instant.parse("2024-02-29T12:34:56.789Z");
    LocalDate date = LocalDate.of(2024, 2, 29);
    Duration duration = Duration.ofMinutes(90).plusMillis(5);

    assertEquals(instant, pass(s, instant, Instant.class));
    assertEquals(date, pass(s, date, LocalDate.class));
    assertEquals(duration, pass(s, duration, Duration.class));
  }

  @Test
  void writesJavaTimeAsIsoStrings() {
    Serializer s = serializer("json");
    Object[] args = {
      Instant.parse("2024-02-29T12:34:56.789Z"), LocalDate.of(2024, 2, 29), Duration.ofMinutes(90)
    };

    assertEquals(
        "[\"2024-02-29T12:34:56.789Z\",\"2024-02-29\",\"PT1H30M\"]",
        new String(s.writeArguments(args), UTF_8));
    assertEquals("\"PT1H30M\"",
        new String(s.writeValue(Duration.ofMinutes(90), Duration.class), UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void convertsByteArrays(String format) {
    Serializer s = serializer(format);
    byte[] bytes = {0, 1, 2, (byte) 0xfe, (byte) 0xff};

    assertArrayEquals(bytes, (byte[]) pass(s, bytes, byte[].class));
  }

  @Test
  void byteArraysAreBase64InJsonAndNativeInCbor() {
    byte[] bytes = {0, 1, 2, (byte) 0xfe, (byte) 0xff};
    Serializer json = serializer("json");
    Serializer cbor = serializer("cbor");

    assertEquals("[\"AAEC/v8=\"]", new String(json.writeArguments(new Object[] {bytes}), UTF_8));
    assertTrue(((JsonNode) json.readArguments(json.writeArguments(new Object[] {bytes})).get(0))
        .isTextual());
    assertTrue(((JsonNode) cbor.readArguments(cbor.writeArguments(new Object[] {bytes})).get(0))
        .isBinary());
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void convertsGenericCollectionsFromTheirType(String format) {
    Serializer s = serializer(format);
    List<Point> points = List.of(new Point(1, 2), new Point(3, 4));
    Map<String, List<Long>> index = Map.of("a", List.of(1L, 1L << 40), "b", List.of());

    Object converted = pass(s, points, type(new TypeReference<List<Point>>() {}));
    Object convertedIndex = pass(s, index, type(new TypeReference<Map<String, List<Long>>>() {}));

    assertEquals(points, converted);
    assertInstanceOf(Point.class, ((List<?>) converted).get(0));
    assertEquals(index, convertedIndex);
    assertInstanceOf(Long.class, ((List<?>) ((Map<?, ?>) convertedIndex).get("a")).get(0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void keepsBigDecimalsExact(String format) {
    Serializer s = serializer(format);

    // equals() compares the scale too: 1.10 is not 1.1.
    assertEquals(new BigDecimal("1.10"), pass(s, new BigDecimal("1.10"), BigDecimal.class));
    assertEquals(
        new BigDecimal("0.1000000000000000000000000001"),
        pass(s, new BigDecimal("0.1000000000000000000000000001"), BigDecimal.class));
    assertEquals(
        List.of(new BigDecimal("2.50")),
        pass(s, List.of(new BigDecimal("2.50")), type(new TypeReference<List<BigDecimal>>() {})));
  }

  @Test
  void keepsDecimalsExactAsJsonTextWritesThem() {
    Serializer s = serializer("json");

    List<Object> items = s.readArguments("[1.10, 1e2, 0.30000000000000000001]".getBytes(UTF_8));

    assertEquals(new BigDecimal("1.10"), s.convert(items.get(0), BigDecimal.class));
    assertEquals(new BigDecimal("1E+2"), s.convert(items.get(1), BigDecimal.class));
    assertEquals(
        new BigDecimal("0.30000000000000000001"), s.convert(items.get(2), BigDecimal.class));
    assertEquals(1.1, s.convert(items.get(0), double.class));
    assertEquals(1.1, s.convert(items.get(0), Object.class));
    assertEquals(0.3, s.convert(items.get(2), Object.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void keepsLongsBeyondTwoToThe53Exact(String format) {
    Serializer s = serializer(format);
    long beyond = (1L << 53) + 1;

    assertEquals(beyond, pass(s, beyond, long.class));
    assertEquals(Long.MAX_VALUE, pass(s, Long.MAX_VALUE, long.class));
    assertEquals(Long.MIN_VALUE, pass(s, Long.MIN_VALUE, Long.class));
    assertEquals(beyond, pass(s, beyond, Object.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void keepsBigIntegersExactTypedAndUntyped(String format) {
    Serializer s = serializer(format);
    BigInteger huge = new BigInteger("123456789012345678901234567890");

    assertEquals(huge, pass(s, huge, BigInteger.class));
    assertEquals(huge, pass(s, huge, Object.class));
    assertEquals(huge, s.readValue(s.writeValue(huge, Object.class), Object.class));
    assertEquals(List.of(huge, 1L), back(s, List.of(huge, 1), Object.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void refusesAFractionForAnInt(String format) {
    Serializer s = serializer(format);
    List<Object> items = s.readArguments(s.writeArguments(new Object[] {1.5, 2.0}));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> s.convert(items.get(0), int.class));
    assertTrue(e.getMessage().startsWith("Cannot coerce Floating-point value (1.5) to `int`"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> s.convert(items.get(0), long.class));
    assertThrows(IllegalArgumentException.class, () -> s.convert(items.get(1), Integer.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void refusesNullForAPrimitive(String format) {
    Serializer s = serializer(format);
    Object item = s.readArguments(s.writeArguments(new Object[] {null})).get(0);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> s.convert(item, int.class));
    assertTrue(e.getMessage().contains("`null`") && e.getMessage().contains("`int`"),
        e.getMessage());
    assertNull(s.convert(item, Integer.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void namesWhereInAnArgumentItDoesNotFit(String format) {
    Serializer s = serializer(format);
    List<Map<String, Object>> points = List.of(Map.of("x", 1, "y", 2), Map.of("x", "one", "y", 2));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> pass(s, points, type(new TypeReference<List<Point>>() {})));

    assertTrue(e.getMessage().endsWith(" (at [1].x)"), e.getMessage());
  }

  @Test
  void convertsOnlyTrees() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> serializer("json").convert("text", String.class));

    assertEquals("not a JSON tree but java.lang.String", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void untypedArgumentsArePlainJsonValues(String format) {
    Serializer s = serializer(format);
    Map<String, Object> sent = new LinkedHashMap<>();
    sent.put("text", "x");
    sent.put("int", 1);
    sent.put("double", 1.5);
    sent.put("yes", true);
    sent.put("nothing", null);
    sent.put("list", List.of(1, "a"));
    sent.put("map", Map.of("k", 2));
    Map<String, Object> expected = new LinkedHashMap<>(sent);
    expected.put("int", 1L);
    expected.put("list", List.of(1L, "a"));
    expected.put("map", Map.of("k", 2L));

    Object received = pass(s, sent, Object.class);

    assertEquals(expected, received);
    assertInstanceOf(Double.class, ((Map<?, ?>) received).get("double"));
  }

  // ---- results

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void writesAndReadsResultsOfGenericTypes(String format) {
    Serializer s = serializer(format);
    Type points = type(new TypeReference<List<Point>>() {});
    Type index = type(new TypeReference<Map<String, List<Long>>>() {});
    Type maybe = type(new TypeReference<Optional<Point>>() {});

    assertEquals(List.of(new Point(1, 2)), back(s, List.of(new Point(1, 2)), points));
    assertEquals(Map.of("a", List.of(5L)), back(s, Map.of("a", List.of(5L)), index));
    assertEquals(Optional.of(new Point(0, 0)), back(s, Optional.of(new Point(0, 0)), maybe));
    assertEquals(Optional.empty(), back(s, Optional.empty(), maybe));
    assertEquals(new BigDecimal("1.10"), back(s, new BigDecimal("1.10"), BigDecimal.class));
    assertEquals(Long.MAX_VALUE, back(s, Long.MAX_VALUE, long.class));
    assertNull(back(s, null, String.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void writesAResultAsItsDeclaredInterfaceNotItsOwnClass(String format) {
    Serializer s = serializer(format);

    Object back = s.readValue(s.writeValue(new Circle(2.5), Shape.class), Object.class);

    assertEquals(Map.of(), back); // Shape promises no properties
    assertEquals(Map.of("radius", 2.5),
        s.readValue(s.writeValue(new Circle(2.5), Object.class), Object.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void untypedResultsArePlainJsonValues(String format) {
    Serializer s = serializer(format);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("text", "x");
    result.put("int", 7);
    result.put("double", 0.25);
    result.put("yes", false);
    result.put("nothing", null);
    result.put("list", List.of(Map.of("deep", List.of(1, 2))));
    Map<String, Object> expected = new LinkedHashMap<>(result);
    expected.put("int", 7L);
    expected.put("list", List.of(Map.of("deep", List.of(1L, 2L))));

    Object back = s.readValue(s.writeValue(result, Object.class), Object.class);

    assertEquals(expected, back);
    assertInstanceOf(LinkedHashMap.class, back);
    assertInstanceOf(ArrayList.class, ((Map<?, ?>) back).get("list"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void aResultThatCannotBeWrittenIsASerializationException(String format) {
    Serializer s = serializer(format);

    SerializationException e = assertThrows(SerializationException.class,
        () -> s.writeValue(new Unwritable(), Unwritable.class));

    assertTrue(e.getMessage().startsWith("a " + Unwritable.class.getName()
        + " cannot be written as " + format + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("no value today"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void anArgumentThatCannotBeWrittenIsNamedByItsNumberFromOne(String format) {
    Serializer s = serializer(format);

    SerializationException e = assertThrows(SerializationException.class,
        () -> s.writeArguments(new Object[] {"fine", new Unwritable()}));

    assertEquals("arguments cannot be written as " + format + ": argument 2 (a "
        + Unwritable.class.getName() + "): no value today", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void aResultOfAnotherTypeIsASerializationException(String format) {
    Serializer s = serializer(format);
    byte[] text = s.writeValue("not a point", String.class);

    SerializationException e =
        assertThrows(SerializationException.class, () -> s.readValue(text, Point.class));

    assertTrue(e.getMessage().startsWith(
        "cannot read a " + Point.class.getName() + " from " + format + ": "), e.getMessage());
  }

  // ---- safety: no default typing, no class named by a peer

  @ParameterizedTest
  @ValueSource(strings = {"@class", "$type", "@type"})
  void aClassNameInAnObjectArgumentStaysData(String key) {
    Serializer s = serializer("json");
    String json = "[{\"" + key + "\":\"java.lang.ProcessBuilder\",\"command\":[\"touch\",\"x\"]},"
        + "[\"" + PlainTripwire.class.getName() + "\",{\"x\":1}],"
        + "{\"" + key + "\":\"" + PlainTripwire.class.getName() + "\",\"x\":1}]";
    List<Object> items = s.readArguments(json.getBytes(UTF_8));

    Object first = s.convert(items.get(0), Object.class);
    Object second = s.convert(items.get(1), Object.class);
    Object third = s.convert(items.get(2), Object.class);

    assertEquals(Map.of(key, "java.lang.ProcessBuilder", "command", List.of("touch", "x")), first);
    assertEquals(List.of(PlainTripwire.class.getName(), Map.of("x", 1L)), second);
    assertEquals(Map.of(key, PlainTripwire.class.getName(), "x", 1L), third);
    assertFalse(PLAIN_TRIPWIRE_INITIALIZED.get(), "a class named by the peer was loaded");
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void refusesClassNameTypeIdsWithoutLoadingTheClass(String format) {
    Serializer s = serializer(format);
    Map<String, Object> sent = Map.of("@class", Tripwire.class.getName(), "x", 1);
    Object item = s.readArguments(s.writeArguments(new Object[] {sent})).get(0);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> s.convert(item, Polymorphic.class));

    assertTrue(e.getMessage().contains("denied resolution"), e.getMessage());
    assertFalse(TRIPWIRE_INITIALIZED.get(), "the class named in the type id was loaded");
  }

  // ---- limits

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void boundsNesting(String format) {
    Serializer s = serializer(format, Limits.defaults().withMaxDepth(4));
    // The argument array itself is the first level.
    byte[] atLimit = serializer(format).writeArguments(new Object[] {List.of(List.of(List.of(1)))});
    byte[] over =
        serializer(format).writeArguments(new Object[] {List.of(List.of(List.of(List.of())))});
    byte[] overInMap = serializer(format).writeArguments(
        new Object[] {Map.of("a", Map.of("b", Map.of("c", Map.of())))});

    assertEquals(1, s.readArguments(atLimit).size());
    assertEquals(
        format + " arguments exceed the maxDepth limit (4)", rejected(s, over).getMessage());
    assertEquals(format + " arguments exceed the maxDepth limit (4)",
        rejected(s, overInMap).getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void boundsStrings(String format) {
    Serializer s = serializer(format, Limits.defaults().withMaxStringLength(10));

    assertEquals(
        "0123456789", s.convert(s.readArguments(s.writeArguments(new Object[] {"0123456789"}))
            .get(0), String.class));
    assertEquals(format + " arguments exceed the maxStringLength limit (10)",
        rejected(s, s.writeArguments(new Object[] {"0123456789a"})).getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void boundsNumbers(String format) {
    Serializer s = serializer(format, Limits.defaults().withMaxNumberLength(5));
    String tooLong = format + " arguments exceed the maxNumberLength limit (5)";

    assertEquals(new BigInteger("-99999"), pass(s, new BigInteger("-99999"), BigInteger.class));
    assertEquals(new BigDecimal("1.2345"), pass(s, new BigDecimal("1.2345"), BigDecimal.class));
    assertEquals(tooLong,
        rejected(s, s.writeArguments(new Object[] {new BigInteger("123456")})).getMessage());
    assertEquals(tooLong,
        rejected(s, s.writeArguments(new Object[] {new BigDecimal("1.23456")})).getMessage());
    assertEquals(tooLong, rejected(s, s.writeArguments(new Object[] {BigInteger.TEN.pow(400)}))
        .getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void boundsNumbersSentAsText(String format) {
    Serializer s = serializer(format, Limits.defaults().withMaxNumberLength(5));
    String tooLong = "the value exceeds the maxNumberLength limit (5)";

    assertEquals(new BigInteger("-9999"), pass(s, "-9999", BigInteger.class), "sign counted");
    assertEquals(new BigInteger("99999"), pass(s, "99999", BigInteger.class));
    assertEquals(new BigDecimal("1.234"), pass(s, "1.234", BigDecimal.class), "point counted");
    Object integer = s.readArguments(s.writeArguments(new Object[] {"123456"})).get(0);
    Object decimal = s.readArguments(s.writeArguments(new Object[] {"1.2345"})).get(0);
    assertEquals(tooLong, assertThrows(IllegalArgumentException.class,
        () -> s.convert(integer, BigInteger.class)).getMessage());
    assertEquals(tooLong, assertThrows(IllegalArgumentException.class,
        () -> s.convert(decimal, BigDecimal.class)).getMessage());
    assertEquals("123456", s.convert(integer, String.class), "text stays text");
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void boundsTheNumberOfArguments(String format) {
    Serializer s = serializer(format, Limits.defaults().withMaxArguments(3));

    assertEquals(3, s.readArguments(s.writeArguments(new Object[] {1, 2, 3})).size());
    assertEquals(format + " arguments exceed the maxArguments limit (3)",
        rejected(s, s.writeArguments(new Object[] {1, 2, 3, 4})).getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void boundsTheDocumentSize(String format) {
    byte[] data = serializer(format).writeArguments(new Object[] {"x".repeat(500), 12, "y"});
    Serializer exact = serializer(format, Limits.defaults().withMaxMessageSize(data.length));
    Serializer smaller = serializer(format, Limits.defaults().withMaxMessageSize(data.length - 1));

    assertEquals(3, exact.readArguments(data).size());
    assertEquals(format + " arguments exceed the maxMessageSize limit (" + (data.length - 1) + ")",
        rejected(smaller, data).getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void boundsResultsAsArguments(String format) {
    Serializer small =
        serializer(format, Limits.defaults().withMaxMessageSize(100).withMaxDepth(2));
    byte[] large = serializer(format).writeValue("z".repeat(200), String.class);
    byte[] deep = serializer(format).writeValue(List.of(List.of(List.of())), Object.class);
    String prefix = "cannot read a java.lang.Object from " + format + ": ";

    assertEquals(prefix + "it exceeds the maxMessageSize limit (100)", assertThrows(
        SerializationException.class, () -> small.readValue(large, Object.class)).getMessage());
    assertEquals(prefix + "it exceeds the maxDepth limit (2)", assertThrows(
        SerializationException.class, () -> small.readValue(deep, Object.class)).getMessage());
    assertThrows(SerializationException.class,
        () -> small.writeValue(List.of(List.of(List.of())), Object.class));
  }

  // ---- malformed input

  @Test
  void rejectsJsonThatIsNotAnArgumentArray() {
    Serializer s = serializer("json");

    for (String text : List.of("", "   ", "{}", "\"a\"", "1", "null")) {
      assertEquals(
          "arguments must be a json array", rejected(s, text.getBytes(UTF_8)).getMessage());
    }
    assertEquals("trailing data after the json argument array",
        rejected(s, "[1] [2]".getBytes(UTF_8)).getMessage());
    assertTrue(rejected(s, "[1, 2".getBytes(UTF_8)).getMessage()
        .startsWith("malformed json arguments: Unexpected end-of-input"));
    assertTrue(rejected(s, "[1] x".getBytes(UTF_8)).getMessage()
        .startsWith("malformed json arguments: Unrecognized token 'x'"));
    assertTrue(rejected(s, "[1,,2]".getBytes(UTF_8)).getMessage()
        .startsWith("malformed json arguments: "));
    assertTrue(rejected(s, "[\"\\uZZZZ\"]".getBytes(UTF_8)).getMessage()
        .startsWith("malformed json arguments: "));
  }

  @Test
  void rejectsCborThatIsNotAnArgumentArray() {
    Serializer s = serializer("cbor");
    byte[] array = s.writeArguments(new Object[] {1, "two"});

    assertEquals("arguments must be a cbor array",
        rejected(s, s.writeValue(Map.of("a", 1), Object.class)).getMessage());
    assertEquals("arguments must be a cbor array", rejected(s, new byte[0]).getMessage());
    byte[] twice = Arrays.copyOf(array, array.length * 2);
    System.arraycopy(array, 0, twice, array.length, array.length);
    assertEquals("trailing data after the cbor argument array", rejected(s, twice).getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void rejectsEveryTruncationOfAValidPayload(String format) {
    Serializer s = serializer(format);
    byte[] data = s.writeArguments(new Object[] {
      new Line(new Point(1, 2), new Point(3, 4), "ab"), List.of(1.5, "x"), new byte[] {1, 2},
      new BigDecimal("1.10"), BigInteger.TEN.pow(30), Map.of("k", true)});

    for (int length = 0; length < data.length; length++) {
      String message = rejected(s, Arrays.copyOf(data, length)).getMessage();
      assertTrue(message.startsWith("malformed " + format + " arguments: ")
          || message.equals("truncated " + format + " arguments: no end of array")
          || message.equals("arguments must be a " + format + " array"),
          "cut at " + length + ": " + message);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void randomBytesAreOnlyEverAnIllegalArgumentException(String format) {
    Serializer s = serializer(format, Limits.defaults().withMaxStringLength(1000));
    byte[] valid = s.writeArguments(new Object[] {"text", 12, List.of(1.5, Map.of("k", "v"))});
    Random random = new Random(42);

    for (int i = 0; i < 3000; i++) {
      byte[] data;
      if (i % 2 == 0) {
        data = new byte[random.nextInt(64)];
        random.nextBytes(data);
      } else {
        data = valid.clone();
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
          data[random.nextInt(data.length)] = (byte) random.nextInt(256);
        }
      }
      try {
        List<Object> items = s.readArguments(data);
        for (Object item : items) {
          s.convert(item, Object.class);
        }
      } catch (IllegalArgumentException expected) {
        assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
      } catch (RuntimeException e) {
        fail("bytes " + Arrays.toString(data) + " threw " + e, e);
      }
    }
  }
}
