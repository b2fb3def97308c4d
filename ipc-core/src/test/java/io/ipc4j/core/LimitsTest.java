package io.ipc4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The bounds on what a peer may send: defaults, copies, checks. */
class LimitsTest {

  @Test
  void defaultsAreDocumented() {
    assertEquals(new Limits(4 * 1024 * 1024, 64, 4 * 1024 * 1024, 256, 255), Limits.defaults());
    assertEquals(
        new Limits(4 * 1024 * 1024, 64, 4 * 1024 * 1024, 256, 255, 10_000), Limits.defaults());
  }

  @Test
  void eachWithChangesOneLimitOnly() {
    Limits d = Limits.defaults();

    assertEquals(new Limits(100, 64, 4 << 20, 256, 255), d.withMaxMessageSize(100));
    assertEquals(new Limits(4 << 20, 8, 4 << 20, 256, 255), d.withMaxDepth(8));
    assertEquals(new Limits(4 << 20, 64, 10, 256, 255), d.withMaxStringLength(10));
    assertEquals(new Limits(4 << 20, 64, 4 << 20, 5, 255), d.withMaxNumberLength(5));
    assertEquals(new Limits(4 << 20, 64, 4 << 20, 256, 3), d.withMaxArguments(3));
    assertEquals(new Limits(4 << 20, 64, 4 << 20, 256, 255, 7), d.withMaxScale(7));
    assertEquals(new Limits(4 << 20, 64, 4 << 20, 256, 255), d);
  }

  static Stream<Arguments> setters() {
    return Stream.of(
        setter("maxMessageSize", Limits.defaults()::withMaxMessageSize),
        setter("maxDepth", Limits.defaults()::withMaxDepth),
        setter("maxStringLength", Limits.defaults()::withMaxStringLength),
        setter("maxNumberLength", Limits.defaults()::withMaxNumberLength),
        setter("maxArguments", Limits.defaults()::withMaxArguments),
        setter("maxScale", Limits.defaults()::withMaxScale));
  }

  private static Arguments setter(String name, Function<Integer, Limits> with) {
    return Arguments.of(name, with);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("setters")
  void refusesLimitsThatAreNotPositive(String name, Function<Integer, Limits> with)
      throws ReflectiveOperationException {
    assertEquals(1, Limits.class.getMethod(name).invoke(with.apply(1)));
    assertEquals(name + " must be positive, was 0",
        assertThrows(IllegalArgumentException.class, () -> with.apply(0)).getMessage());
    assertEquals(name + " must be positive, was -1",
        assertThrows(IllegalArgumentException.class, () -> with.apply(-1)).getMessage());
  }

  @Test
  void theConstructorChecksToo() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Limits(1, 1, 1, 1, 0));

    assertEquals("maxArguments must be positive, was 0", e.getMessage());
  }
}
