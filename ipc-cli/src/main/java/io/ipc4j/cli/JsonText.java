package io.ipc4j.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ipc4j.core.Limits;
import io.ipc4j.core.internal.Mappers;

/**
 * Reads command-line words as JSON values and prints results as JSON, the way {@code jq} does:
 * two-space indents, {@code "key": value}, one array item per line.
 */
final class JsonText {
  private static final ObjectMapper MAPPER = Mappers.json(Limits.defaults());
  /** Reads words as plain JSON, keeping numbers as written: any size, decimals not rounded. */
  private static final ObjectMapper ARGUMENTS = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxNestingDepth(Limits.defaults().maxDepth())
              .maxStringLength(Limits.defaults().maxStringLength())
              .maxNumberLength(Limits.defaults().maxNumberLength())
              .build())
          .build())
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private static final ObjectWriter PRETTY = MAPPER.writer(prettyPrinter());

  private JsonText() {}

  /**
   * The value {@code word} stands for: its JSON value when it is valid JSON ({@code 42}, {@code
   * true}, {@code null}, {@code "quoted"}, {@code [1,2]}, {@code {"a":1}}), otherwise the word
   * itself as a string, so that {@code hello} needs no quotes. Numbers keep every digit: integers
   * of any size, decimals as {@link java.math.BigDecimal}.
   */
  static Object argument(String word) {
    try {
      return ARGUMENTS.readValue(word, Object.class);
    } catch (JsonProcessingException e) {
      return word;
    }
  }

  /** {@code value} as indented JSON, with no trailing newline. */
  static String print(Object value) {
    try {
      return PRETTY.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print the result as JSON: " + e.getMessage(), e);
    }
  }

  /** {@code value} as JSON on one line, with no spaces, as {@code jq -c} prints it. */
  static String line(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print the value as JSON: " + e.getMessage(), e);
    }
  }

  private static DefaultPrettyPrinter prettyPrinter() {
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
        .withSeparators(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator(""));
    printer.indentObjectsWith(indenter);
    printer.indentArraysWith(indenter);
    return printer;
  }
}
