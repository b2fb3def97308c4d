package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which names {@link NameSuggestions} offers for a mistyped one, and how it says so. */
class NameSuggestionsTest {

  @Test
  void distanceCountsASwapAsOneEdit() {
    assertEquals(0, NameSuggestions.distance("get", "get"));
    assertEquals(1, NameSuggestions.distance("gte", "get"));
    assertEquals(1, NameSuggestions.distance("get", "set"));
    assertEquals(1, NameSuggestions.distance("st", "set"));
    assertEquals(3, NameSuggestions.distance("", "abc"));
  }

  @Test
  void upToThreeCloseNamesClosestFirstCaseIgnored() {
    List<String> names = List.of("getA", "getB", "getC", "getD", "GetX", "put");
    assertEquals(List.of("GetX", "getA", "getB"), NameSuggestions.closest("getx", names));
    assertEquals("; did you mean 'GetX', 'getA' or 'getB'?",
        NameSuggestions.didYouMean("getx", names));
    assertEquals("; did you mean 'put'?", NameSuggestions.didYouMean("pt", names));
    assertEquals("", NameSuggestions.didYouMean("delete", names));
  }

  @Test
  void theDistanceAllowedGrowsWithTheName() {
    assertEquals(1, NameSuggestions.maxDistance(""));
    assertEquals(1, NameSuggestions.maxDistance("gte"));
    assertEquals(1, NameSuggestions.maxDistance("abcde"));
    assertEquals(2, NameSuggestions.maxDistance("abcdef"));
    assertEquals(3, NameSuggestions.maxDistance("getDataList"));
    assertEquals(List.of(), NameSuggestions.closest("gx", List.of("get")));
    assertEquals(List.of("getDataList"),
        NameSuggestions.closest("gtDataLst", List.of("getDataList")));
  }

  @Test
  void aHugeNameIsNotCompared() {
    assertEquals(List.of(), NameSuggestions.closest("g".repeat(1_000_000), List.of("get")));
  }
}
