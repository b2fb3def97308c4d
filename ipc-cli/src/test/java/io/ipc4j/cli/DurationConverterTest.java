package io.ipc4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
  private final DurationConverter converter = new DurationConverter();

  @Test
  void readsShortForms() {
    assertEquals(Duration.ofMillis(500), converter.convert("500ms"));
    assertEquals(Duration.ofSeconds(30), converter.convert("30s"));
    assertEquals(Duration.ofMinutes(2), converter.convert("2m"));
    assertEquals(Duration.ofHours(1), converter.convert("1h"));
    assertEquals(Duration.ofSeconds(90), converter.convert("PT1M30S"));
  }

  @Test
  void rejectsOthersNamingTheValue() {
    TypeConversionException e =
        assertThrows(TypeConversionException.class, () -> converter.convert("5 parsecs"));
    assertEquals("'5 parsecs' is not a duration; write it as 500ms, 30s, 2m, 1h or PT30S",
        e.getMessage());
  }

  @Test
  void printsAsItReads() {
    assertEquals("200ms", CallFailures.text(Duration.ofMillis(200)));
    assertEquals("30s", CallFailures.text(Duration.ofSeconds(30)));
  }
}
