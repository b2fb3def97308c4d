package io.ipc4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Type names in descriptions, and the names a request may use to pick an overload. */
class TypeNamesTest {
  /** A type nested in another, as users' parameter types often are. */
  record Inner(int x) {}

  /** One method with a parameter of each kind of type. */
  interface Fixture {
    void take(
        int number,
        String text,
        byte[] bytes,
        List<String> names,
        Map<String, List<Long>> index,
        Inner inner,
        List<? extends Number> numbers,
        String... rest);
  }

  private static final Method TAKE = Fixture.class.getMethods()[0];

  private static boolean matches(String requested, int parameter) {
    return TypeNames.matches(requested, TAKE.getParameterTypes()[parameter],
        TAKE.getGenericParameterTypes()[parameter]);
  }

  @Test
  void namesTypesAsJavaWritesThem() {
    assertEquals("int", TypeNames.of(TAKE.getGenericParameterTypes()[0]));
    assertEquals("byte[]", TypeNames.of(TAKE.getGenericParameterTypes()[2]));
    assertEquals(
        "java.util.List<java.lang.String>", TypeNames.of(TAKE.getGenericParameterTypes()[3]));
    assertEquals("java.util.Map<java.lang.String, java.util.List<java.lang.Long>>",
        TypeNames.of(TAKE.getGenericParameterTypes()[4]));
    assertEquals(Inner.class.getName(), TypeNames.of(TAKE.getGenericParameterTypes()[5]));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "int | 0",
    " int  | 0",
    "java.lang.String | 1",
    "String | 1",
    "byte[] | 2",
    "[B | 2",
    "byte [] | 2",
    "java.util.List | 3",
    "List | 3",
    "java.util.List<java.lang.String> | 3",
    "List<String> | 3",
    "java.util.Map<java.lang.String,java.util.List<java.lang.Long>> | 4",
    "Map<String, List<Long>> | 4",
    "Map < String , List<Long> > | 4",
    "io.ipc4j.core.internal.TypeNamesTest$Inner | 5",
    "io.ipc4j.core.internal.TypeNamesTest.Inner | 5",
    "Inner | 5",
    "List<? extends Number> | 6",
    "java.util.List<? extends java.lang.Number> | 6",
    "String[] | 7",
    "String... | 7",
    "java.lang.String... | 7",
  })
  void matchesEveryWayOfNamingAParameter(String requested, int parameter) {
    assertTrue(matches(requested, parameter), requested);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "Integer | 0",
    "long | 0",
    "java.lang.Integer | 0",
    "Strin | 1",
    "java.lang.string | 1",
    "string | 1",
    "Byte[] | 2",
    "List<Long> | 3",
    "java.util.ArrayList | 3",
    "Map<String, Long> | 4",
    "Map<String,List<Integer>> | 4",
    "TypeNamesTest | 5",
    "List<Number> | 6",
    "String | 7",
  })
  void matchesNoOtherType(String requested, int parameter) {
    assertFalse(matches(requested, parameter), requested);
  }
}
