package io.ipc4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.protobuf.ByteString;
import io.ipc4j.core.Limits;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The byte[] fast path writes exactly Jackson's bytes and reads them back, and leaves everything
 * but the simplest form to Jackson.
 */
class BinaryPayloadsTest {
  private static final int[] SIZES = {0, 1, 23, 24, 255, 256, 65_535, 65_536, 1 << 20};

  static Stream<Arguments> formatsAndSizes() {
    return Stream.of("json", "cbor").flatMap(f -> Arrays.stream(SIZES)
        .mapToObj(n -> Arguments.of(f, n)));
  }

  private static JacksonSerializer jackson(String format) {
    return (JacksonSerializer) Serializers.of(Serializers.DEFAULT_NAMES, Limits.defaults())
        .get(format);
  }

  private static BinaryPayloads.Form form(String format) {
    return BinaryPayloads.Form.of(jackson(format).mapper().getFactory());
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  @ParameterizedTest
  @MethodSource("formatsAndSizes")
  void writesWhatJacksonWrites(String format, int size) {
    JacksonSerializer jackson = jackson(format);
    byte[] bytes = random(size);

    assertEquals(ByteString.copyFrom(jackson.writeValue(bytes, byte[].class)),
        BinaryPayloads.writeValue(form(format), bytes));
    assertEquals(ByteString.copyFrom(jackson.writeArguments(new Object[] {bytes})),
        BinaryPayloads.writeArguments(form(format), bytes));
  }

  @ParameterizedTest
  @MethodSource("formatsAndSizes")
  void readsWhatJacksonWrites(String format, int size) {
    JacksonSerializer jackson = jackson(format);
    byte[] bytes = random(size);

    assertArrayEquals(bytes, BinaryPayloads.readValue(form(format),
        ByteString.copyFrom(jackson.writeValue(bytes, byte[].class))));
    assertArrayEquals(bytes, BinaryPayloads.readArguments(form(format),
        ByteString.copyFrom(jackson.writeArguments(new Object[] {bytes})), Integer.MAX_VALUE));
    // And the serializer's own entry points take the fast path's bytes back.
    assertArrayEquals(bytes, (byte[]) jackson.readValue(
        jackson.writeValueBytes(bytes, byte[].class), byte[].class));
    assertArrayEquals(bytes, (byte[]) jackson.readScalarArguments(
        jackson.writeArgumentBytes(new Object[] {bytes}),
        new JacksonSerializer.Scalar[] {JacksonSerializer.Scalar.BYTES})[0]);
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void leavesEveryOtherFormToJackson(String format) {
    JacksonSerializer jackson = jackson(format);
    byte[] bytes = random(100);

    assertNull(BinaryPayloads.readArguments(form(format), ByteString.copyFrom(
        jackson.writeArguments(new Object[] {bytes, bytes})), Integer.MAX_VALUE), "two");
    assertNull(BinaryPayloads.readArguments(form(format), ByteString.copyFrom(
        jackson.writeArguments(new Object[] {"not base64!"})), Integer.MAX_VALUE), "a string");
    assertNull(BinaryPayloads.readValue(form(format), ByteString.copyFrom(
        jackson.writeValue(42, int.class))), "a number");
    ByteString one = ByteString.copyFrom(jackson.writeValue(bytes, byte[].class));
    assertNull(BinaryPayloads.readValue(form(format), one.substring(0, one.size() - 1)), "truncated");
    assertNull(BinaryPayloads.readValue(form(format), one.concat(ByteString.copyFromUtf8(" "))),
        "trailing data");
    assertNull(BinaryPayloads.readValue(form(format), ByteString.EMPTY), "empty");
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void oddButValidFormsAreLeftToJackson(String format) {
    ByteString odd = "json".equals(format)
        ? ByteString.copyFromUtf8("[ \"AAEC\" ]") // whitespace
        : ByteString.copyFrom(new byte[] {(byte) 0x81, 0x5f, 0x43, 0, 1, 2, (byte) 0xff});
    assertNull(BinaryPayloads.readArguments(form(format), odd, Integer.MAX_VALUE));
    // Jackson reads it: the same bytes either way.
    assertArrayEquals(new byte[] {0, 1, 2}, (byte[]) jackson(format).readScalarArguments(odd,
        new JacksonSerializer.Scalar[] {JacksonSerializer.Scalar.BYTES})[0]);
  }

  @Test
  void jsonTextOverTheStringLimitIsLeftToJackson() {
    ByteString data = BinaryPayloads.writeArguments(BinaryPayloads.Form.BASE64_TEXT, random(30)); // 40 characters
    assertEquals(30, BinaryPayloads.readArguments(BinaryPayloads.Form.BASE64_TEXT, data, 40).length);
    assertNull(BinaryPayloads.readArguments(BinaryPayloads.Form.BASE64_TEXT, data, 39));
  }
}
