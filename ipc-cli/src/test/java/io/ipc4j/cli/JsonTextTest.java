package io.ipc4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTextTest {
  @Test
  void jsonWordsAreTheirValues() {
    assertEquals(42, JsonText.argument("42"));
    assertEquals(-7, JsonText.argument("-7"));
    assertEquals(9_000_000_000L, JsonText.argument("9000000000"));
    assertEquals(new BigDecimal("1.10"), JsonText.argument("1.10"));
    assertEquals(new BigDecimal("1e400"), JsonText.argument("1e400"));
    assertEquals(new BigInteger("123456789012345678901234567890"),
        JsonText.argument("123456789012345678901234567890"));
    assertEquals(false, JsonText.argument("false"));
    assertNull(JsonText.argument("null"));
    assertEquals("42", JsonText.argument("\"42\""));
    assertEquals(List.of(1, "two"), JsonText.argument("[1, \"two\"]"));
    assertEquals(Map.of("a", Map.of("b", List.of())), JsonText.argument("{\"a\":{\"b\":[]}}"));
  }

  @Test
  void otherWordsAreStrings() {
    assertEquals("hello", JsonText.argument("hello"));
    assertEquals("two words", JsonText.argument("two words"));
    assertEquals("1 2", JsonText.argument("1 2"));
    assertEquals("", JsonText.argument(""));
    assertEquals("{not json", JsonText.argument("{not json"));
    assertEquals("True", JsonText.argument("True"));
    assertEquals("'quoted'", JsonText.argument("'quoted'"));
  }

  @Test
  void printsLikeJq() {
    assertEquals("\"hello\"", JsonText.print("hello"));
    assertEquals("null", JsonText.print(null));
    assertEquals("[]", JsonText.print(List.of()));
    assertEquals("{}", JsonText.print(Map.of()));
    assertEquals("[\n  1,\n  null\n]", JsonText.print(Arrays.asList(1, null)));
    assertEquals("{\n  \"a\": {\n    \"b\": [\n      true\n    ]\n  }\n}",
        JsonText.print(Map.of("a", Map.of("b", List.of(true)))));
  }
}
