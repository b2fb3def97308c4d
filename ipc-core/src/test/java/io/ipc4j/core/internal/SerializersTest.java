package io.ipc4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.core.Limits;
import io.ipc4j.core.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serializers a peer accepts, by name. */
class SerializersTest {

  @Test
  void aSettingsFileNamesAKnownSerializerOrTheErrorSaysWhere(@TempDir Path dir)
      throws IOException {
    Path file = Files.writeString(dir.resolve("ipc.properties"), "serializer=cbor\n");
    Settings settings = Settings.load(file);

    assertEquals("cbor", Serializers.fromSettings(settings, "cbor", List.of()));
    assertEquals("java", Serializers.fromSettings(settings, "java", List.of("java.lang.String")));
    assertEquals("settings file " + file + ": key 'serializer' has value 'java': expected one of"
        + " json, cbor", assertThrows(IllegalArgumentException.class,
            () -> Serializers.fromSettings(settings, "java", List.of())).getMessage());
    assertEquals("settings file " + file + ": key 'serializer' has value 'pickle': expected one"
        + " of json, cbor", assertThrows(IllegalArgumentException.class,
            () -> Serializers.fromSettings(settings, "pickle", List.of())).getMessage());
  }

  @Test
  void acceptsTheNamedSerializersInOrder() {
    Serializers serializers = Serializers.of(List.of("cbor", "json"), Limits.defaults());

    assertEquals(List.of("cbor", "json"), serializers.names());
    assertEquals("cbor", serializers.get("cbor").name());
    assertSame(serializers.json(), serializers.get("json"));
    assertNull(serializers.get("xml"));
    assertNull(serializers.get("JSON"));
  }

  @Test
  void alwaysHasJsonForTheListValueForm() {
    Serializers serializers = Serializers.of(List.of("cbor"), Limits.defaults());

    assertNull(serializers.get("json"));
    assertNotNull(serializers.json());
    assertEquals("json", serializers.json().name());
  }

  @Test
  void everySerializerKeepsTheLimits() {
    Serializers serializers =
        Serializers.of(Serializers.DEFAULT_NAMES, Limits.defaults().withMaxArguments(1));

    for (String name : Serializers.DEFAULT_NAMES) {
      Serializer s = serializers.get(name);
      assertThrows(IllegalArgumentException.class,
          () -> s.readArguments(s.writeArguments(new Object[] {1, 2})), name);
    }
  }

  @Test
  void refusesUnknownNamesAndNone() {
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> Serializers.of(List.of("json", "pickle"), Limits.defaults()));
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> Serializers.of(List.of(), Limits.defaults()));

    assertEquals("unknown serializer 'pickle'; known: json, cbor", unknown.getMessage());
    assertEquals("at least one serializer is needed", none.getMessage());
  }

  @Test
  void javaIsUnknownWithoutAnAllowList() {
    for (List<String> allowList : List.of(List.<String>of())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Serializers.of(List.of("json", "java"), Limits.defaults(), allowList));
      assertEquals("unknown serializer 'java'; known: json, cbor; java serialization is off"
          + " unless enabled with an allow-list of the classes it may read", e.getMessage());
    }
    IllegalArgumentException byDefault = assertThrows(IllegalArgumentException.class,
        () -> Serializers.of(List.of("java"), Limits.defaults()));
    assertTrue(byDefault.getMessage().startsWith("unknown serializer 'java'; known: json, cbor;"),
        byDefault.getMessage());
    assertNull(Serializers.of(Serializers.DEFAULT_NAMES, Limits.defaults(), List.of("a.B"))
        .get("java"), "an allow-list alone does not accept java");
  }

  @Test
  void javaWithAnAllowListIsAcceptedAndBounded() {
    Serializers serializers = Serializers.of(List.of("json", "java"),
        Limits.defaults().withMaxArguments(1), List.of("com.example.*"));

    assertEquals(List.of("json", "java"), serializers.names());
    JavaSerializer java = assertInstanceOf(JavaSerializer.class, serializers.get("java"));
    assertEquals(List.of("com.example.*"), java.allowList());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> java.readArguments(java.writeArguments(new Object[] {1, 2})));
    assertEquals("java arguments exceed the maxArguments limit (1)", e.getMessage());

    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> Serializers.of(List.of("pickle"), Limits.defaults(), List.of("com.example.*")));
    assertEquals("unknown serializer 'pickle'; known: json, cbor, java", unknown.getMessage());
  }
}
