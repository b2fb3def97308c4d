package io.ipc4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.ipc4j.core.Limits;
import java.io.Serializable;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.Temporal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Results are written as their declared types: an interface or base class sends only its own
 * properties, all the way down; Object and the JDK's open types send the runtime class's.
 */
class DeclaredTypesTest {
  /** What a method promises. */
  public interface Named {
    String getName();
  }

  /** What it returns: more than it promises. */
  public static class Account implements Named {
    @Override
    public String getName() {
      return "ada";
    }

    public String getPasswordHash() {
      return "$2a$10$hash";
    }

    public String getApiKey() {
      return "sk-secret";
    }
  }

  /** A subclass of the declared class, with a field of its own. */
  public static class Admin extends Account {
    public String getRootToken() {
      return "root";
    }
  }

  /** A record whose component is declared as the interface. */
  public record Team(Named lead, List<Named> members, Object anything,
      Map<String, Object> extras) {}

  /** A bean whose property says it is written by its runtime class. */
  public record Dynamic(@JsonSerialize(typing = JsonSerialize.Typing.DYNAMIC) Named who) {}

  /** A type that asks for its subtypes to be written whole, with a name. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
  @JsonSubTypes(@JsonSubTypes.Type(value = Circle.class, name = "circle"))
  public interface Shape {}

  /** One such subtype. */
  public record Circle(double radius) implements Shape {}

  /** A runtime class that says how it is written: the declared type decides instead. */
  public static class Labelled implements Named {
    @Override
    public String getName() {
      return "ada";
    }

    @JsonValue
    public String label() {
      return "label of ada";
    }
  }

  /** An enum behind the interface. */
  public enum Role implements Named {
    OWNER;

    @Override
    public String getName() {
      return "owner";
    }
  }

  private static final Map<String, Object> NAME_ONLY = Map.of("name", "ada");
  private static final Map<String, Object> ACCOUNT = Map.of("name", "ada",
      "passwordHash", "$2a$10$hash", "apiKey", "sk-secret");

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void anInterfaceSendsOnlyItsOwnProperties(String format) {
    assertEquals(NAME_ONLY, written(format, new Account(), Named.class));
    assertEquals(NAME_ONLY, tree(new Account(), Named.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void aSubclassOfTheDeclaredClassSendsOnlyTheDeclaredClasssProperties(String format) {
    assertEquals(ACCOUNT, written(format, new Admin(), Account.class));
    assertEquals(ACCOUNT, tree(new Admin(), Account.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void objectAndUntypedContainersSendTheRuntimeClass(String format) {
    Type mapOfObjects = new TypeReference<Map<String, Object>>() {}.getType();
    Type listOfObjects = new TypeReference<List<Object>>() {}.getType();

    assertEquals(ACCOUNT, written(format, new Account(), Object.class));
    assertEquals(ACCOUNT, written(format, new Account(), null));
    assertEquals(Map.of("a", ACCOUNT), written(format, Map.of("a", new Account()), mapOfObjects));
    assertEquals(List.of(ACCOUNT), written(format, List.of(new Account()), listOfObjects));
    assertEquals(Map.of("a", ACCOUNT), tree(Map.of("a", new Account()), mapOfObjects));
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void elementsOfContainersSendTheirDeclaredType(String format) {
    Type list = new TypeReference<List<Named>>() {}.getType();
    Type map = new TypeReference<Map<String, Named>>() {}.getType();
    Type optional = new TypeReference<Optional<Named>>() {}.getType();

    assertEquals(List.of(NAME_ONLY, NAME_ONLY),
        written(format, List.of(new Account(), new Admin()), list));
    assertEquals(List.of(NAME_ONLY), written(format, new Named[] {new Account()}, Named[].class));
    assertEquals(Map.of("a", NAME_ONLY), written(format, Map.of("a", new Account()), map));
    assertEquals(NAME_ONLY, written(format, Optional.of(new Account()), optional));
    assertEquals(List.of(NAME_ONLY), tree(List.of(new Account()), list));
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void propertiesSendTheTypeTheirMemberDeclares(String format) {
    Team team = new Team(new Admin(), List.of(new Account()), new Account(),
        Map.of("x", new Account()));
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("lead", NAME_ONLY);
    expected.put("members", List.of(NAME_ONLY));
    expected.put("anything", ACCOUNT);
    expected.put("extras", Map.of("x", ACCOUNT));

    assertEquals(expected, written(format, team, Team.class));
    assertEquals(expected, tree(team, Team.class));
    assertEquals(Map.of("who", ACCOUNT), written(format, new Dynamic(new Account()), Dynamic.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void scalarsEnumsAndTheJdksOpenTypesSendTheirValues(String format) {
    assertEquals(7L, written(format, 7, int.class));
    assertEquals(7L, written(format, 7, Integer.class));
    assertEquals(7L, written(format, 7, Number.class));
    assertEquals("text", written(format, new StringBuilder("text"), CharSequence.class));
    assertEquals("2026-12-04", written(format, LocalDate.of(2026, 12, 4), Temporal.class));
    assertEquals("2026-12-04", written(format, LocalDate.of(2026, 12, 4), Serializable.class));
    assertEquals(List.of("2026-12-04"), written(format, List.of(LocalDate.of(2026, 12, 4)),
        new TypeReference<List<Temporal>>() {}.getType()));
    assertEquals("OWNER", written(format, Role.OWNER, Role.class));
    assertEquals(Map.of("name", "owner"), written(format, Role.OWNER, Named.class));
    assertEquals(null, written(format, null, Named.class));
    assertEquals("1.10", Serializers.of(List.of("json"), Limits.defaults()).json()
        .writeValueAsTree(new BigDecimal("1.10"), BigDecimal.class).toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void theDeclaredTypeDecidesHowItsValuesAreWritten(String format) {
    assertEquals(Map.of("@type", "circle", "radius", 2.5),
        written(format, new Circle(2.5), Shape.class));
    assertEquals(NAME_ONLY, written(format, new Labelled(), Named.class));
    assertEquals("label of ada", written(format, new Labelled(), Labelled.class));
  }

  private static Object written(String format, Object value, Type type) {
    Serializer s = Serializers.of(List.of(format), Limits.defaults()).get(format);
    return s.readValue(s.writeValue(value, type), Object.class);
  }

  private static Object tree(Object value, Type type) {
    JacksonSerializer json = Serializers.of(List.of("json"), Limits.defaults()).json();
    return json.mapper().convertValue(json.writeValueAsTree(value, type), Object.class);
  }
}
