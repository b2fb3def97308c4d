package io.ipc4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.protobuf.ByteString;
import io.ipc4j.core.Limits;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one-pass check of a CBOR payload: what Jackson would read slowly (runs of tags) or not at
 * all is refused with a message saying what and where; everything ipc4j writes passes.
 */
class CborCheckTest {
  private static final int DEPTH = 64;

  private static String problem(String hex) {
    return CborCheck.problem(ByteString.copyFrom(HexFormat.of().parseHex(hex.replace(" ", ""))), DEPTH);
  }

  private static byte[] tags(int count, int before, byte... value) {
    byte[] data = new byte[before + count + value.length];
    data[0] = (byte) 0x81; // an array of one item, when before is 1
    Arrays.fill(data, before, before + count, (byte) 0xc6);
    System.arraycopy(value, 0, data, before + count, value.length);
    return data;
  }

  @Test
  void passesWhatIpc4jWrites() {
    Serializer cbor = Serializers.of(List.of("cbor"), Limits.defaults()).get("cbor");
    byte[] data = cbor.writeArguments(new Object[] {1, -1L << 40, "text", new byte[300],
      List.of(1.5, 2.5f, true, false), Map.of("k", Map.of("n", List.of())), null,
      new BigDecimal("-1.10"), BigInteger.TEN.pow(30).negate(), Long.MIN_VALUE});

    assertNull(CborCheck.problem(ByteString.copyFrom(data), DEPTH));
  }

  @Test
  void passesIndefiniteLengthsTagsAndSimpleValues() {
    assertNull(problem("9f018202039fff5f4201024103ff7f6161ff bf616101ff ff"));
    assertNull(problem("c482 21 c2 4101")); // a decimal fraction over a bignum: two tags
    assertNull(problem("d9d9f7 c6c6c6 01")); // four tags
    assertNull(problem("f818 f93c00 fa3fc00000 fb3ff8000000000000 f6 f7"));
    assertNull(problem(""));
    assertNull(problem("01 02"), "a sequence: Jackson says what follows the array is trailing");
  }

  @Test
  void refusesARunOfTagsAtItsFifthTagWithoutReadingOn() {
    byte[] run = tags(300_000, 1, (byte) 0x01);

    assertEquals("more than 4 tags on one value at byte 1",
        CborCheck.problem(ByteString.copyFrom(run), DEPTH));
    assertEquals("more than 4 tags on one value at byte 1", problem("81 c6c6c6c6c6 01"));
    assertEquals("more than 4 tags on one value at byte 3",
        problem("82 c601 c6c6c6c6c6 01"), "the count starts again for each value");
  }

  @Test
  void refusesTagsWithoutAValue() {
    assertEquals("truncated at byte 2", problem("81 c6"));
    assertEquals("unexpected break at byte 2", problem("9f c6 ff"));
  }

  @Test
  void refusesNestingDeeperThanTheLimit() {
    byte[] deep = new byte[DEPTH + 1];
    Arrays.fill(deep, (byte) 0x81);
    byte[] indefinite = new byte[DEPTH + 1];
    Arrays.fill(indefinite, (byte) 0x9f);

    assertNull(CborCheck.problem(ByteString.copyFrom(deep, 0, DEPTH).concat(
        ByteString.copyFrom(new byte[] {0x01})), DEPTH));
    assertEquals(CborCheck.TOO_DEEP, CborCheck.problem(ByteString.copyFrom(deep), DEPTH));
    assertEquals(CborCheck.TOO_DEEP, CborCheck.problem(ByteString.copyFrom(indefinite), DEPTH));
    ByteString maps = ByteString.copyFrom(HexFormat.of().parseHex("a101a102a1038101"));
    assertNull(CborCheck.problem(maps, 4));
    assertEquals(CborCheck.TOO_DEEP, CborCheck.problem(maps, 3), "maps are levels too");
  }

  @Test
  void refusesLengthsBeyondTheData() {
    assertEquals("the head at byte 1 declares 2147483648 bytes but 2 bytes remain",
        problem("81 5a80000000 0102"));
    assertEquals("the head at byte 1 declares 18446744073709551615 bytes but 0 bytes remain",
        problem("81 7bffffffffffffffff"));
    assertEquals("the head at byte 0 declares 4294967295 items but 1 byte remains",
        problem("9affffffff 01"));
    assertEquals("the head at byte 0 declares 2 entries but 3 bytes remain",
        problem("a2 010203"));
    assertEquals("malformed indefinite-length string at byte 1", problem("81 5f 5a00010000 00"));
    assertEquals("malformed indefinite-length string at byte 1", problem("81 5f 6161 ff"),
        "a text chunk in a byte string");
    assertEquals("malformed indefinite-length string at byte 1", problem("81 5f 5f ff ff"),
        "chunks do not nest");
  }

  @Test
  void refusesMalformedHeadsAndBreaks() {
    assertEquals("invalid head 0x1c at byte 1", problem("81 1c"));
    assertEquals("invalid head 0xdf at byte 1", problem("81 df 01"));
    assertEquals("invalid head 0x1f at byte 0", problem("1f"));
    assertEquals("unexpected break at byte 0", problem("ff"));
    assertEquals("unexpected break at byte 2", problem("82 01 ff"));
    assertEquals("unexpected break at byte 2", problem("bf 01 ff"), "a key without a value");
    assertEquals("truncated at byte 2", problem("9f 01"));
    assertEquals("truncated head at byte 0", problem("19 01"));
  }
}
