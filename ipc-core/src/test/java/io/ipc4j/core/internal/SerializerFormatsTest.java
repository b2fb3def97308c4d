package io.ipc4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.protobuf.ByteString;
import io.ipc4j.core.Limits;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Serializers own their formats: they are found through {@link Serializer.Factory}, and what a
 * server's fast paths need (payloads where they lie, argument plans, overload fit) they answer.
 */
class SerializerFormatsTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** A value that only the tree path reads. */
  public record Point(int x, int y) {}

  private static Serializer serializer(String name) {
    return Serializers.of(List.of(name), Limits.defaults(), List.of("com.example.*")).get(name);
  }

  @Test
  void theBuiltInsAreFoundAsAnyOtherSerializerIs() {
    List<Class<?>> factories = new ArrayList<>();
    ServiceLoader.load(Serializer.Factory.class).forEach(f -> factories.add(f.getClass()));
    assertEquals(List.of(JacksonSerializerFactory.class, JavaSerializerFactory.class), factories);

    assertEquals(List.of("json", "cbor", "java"), Serializers.known(true));
    assertEquals(List.of("json", "cbor"), Serializers.known(false));
    assertNull(new JacksonSerializerFactory().create("java", Limits.defaults(), List.of("a.B")),
        "not its name: null, so that the next factory is asked");
    assertNull(new JavaSerializerFactory().create("json", Limits.defaults(), List.of("a.B")));
    assertInstanceOf(JavaSerializer.class, serializer("java"));
    assertEquals("cbor", serializer("cbor").name());
  }

  @Test
  void onlyJavaNeedsAnAllowList() {
    assertEquals(true, Formats.needsAllowList("java"));
    assertEquals(false, Formats.needsAllowList("json"));
    assertEquals(false, Formats.needsAllowList("cbor"));
    assertEquals(List.of("json", "cbor"), Serializers.readable("json", List.of()));
    assertEquals(List.of("json", "cbor", "java"), Serializers.readable("java", List.of("a.B")));
  }

  /** A serializer that implements only what it must: the rest are the interface's defaults. */
  private static Serializer plain(Serializer inner) {
    return new Serializer() {
      @Override
      public String name() {
        return "plain";
      }

      @Override
      public List<Object> readArguments(byte[] data) {
        return inner.readArguments(data);
      }

      @Override
      public Object convert(Object argument, Type type) {
        return inner.convert(argument, type);
      }

      @Override
      public byte[] writeArguments(Object[] args) {
        return inner.writeArguments(args);
      }

      @Override
      public byte[] writeValue(Object value, Type type) {
        return inner.writeValue(value, type);
      }

      @Override
      public Object readValue(byte[] data, Type type) {
        return inner.readValue(data, type);
      }
    };
  }

  @Test
  void theDefaultsCopyTheBytesAndHaveNoFastPath() {
    Serializer plain = plain(serializer("json"));
    Point p = new Point(1, 2);

    ByteString value = plain.writeValueBytes(p, Point.class);
    assertEquals(ByteString.copyFromUtf8("{\"x\":1,\"y\":2}"), value);
    assertEquals(p, plain.readValue(value, Point.class));
    ByteString args = plain.writeArgumentBytes(new Object[] {1, "a"});
    assertEquals(ByteString.copyFromUtf8("[1,\"a\"]"), args);
    assertEquals(List.of(NODES.numberNode(1), NODES.textNode("a")), plain.readArguments(args));

    assertNull(plain.plan(new Type[] {int.class}));
    assertNull(plain.readArguments(args, null));
    assertEquals(0, plain.fit(NODES.numberNode(1), int.class), "neutral");
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void jacksonPlansMethodsWhoseParametersAreAllScalars(String name) {
    Serializer s = serializer(name);
    Serializer.ArgumentPlan plan = s.plan(new Type[] {int.class, String.class, byte[].class});
    assertNotNull(plan);
    assertNull(s.plan(new Type[] {int.class, Point.class}), "a record takes the tree path");

    ByteString data = s.writeArgumentBytes(new Object[] {7, "a", new byte[] {1, 2}});
    Object[] args = s.readArguments(data, plan);
    assertEquals(7, args[0]);
    assertEquals("a", args[1]);
    assertArrayEquals(new byte[] {1, 2}, (byte[]) args[2]);

    assertNull(s.readArguments(s.writeArgumentBytes(new Object[] {"7", "a", null}), plan),
        "a string for an int is left to the tree path, which explains it");
    assertNull(s.readArguments(data, null));
    assertNull(s.readArguments(data, new Serializer.ArgumentPlan() {}), "another's plan");
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "cbor"})
  void jacksonReadsAndWritesPayloadsAsTheyLie(String name) {
    Serializer s = serializer(name);
    Point p = new Point(3, 4);
    ByteString value = s.writeValueBytes(p, Point.class);
    assertEquals(ByteString.copyFrom(s.writeValue(p, Point.class)), value);
    assertEquals(p, s.readValue(value, Point.class));
    byte[] bytes = {9, 8, 7};
    assertArrayEquals(bytes, (byte[]) s.readValue(s.writeValueBytes(bytes, byte[].class),
        byte[].class));
    assertEquals(2, s.readArguments(s.writeArgumentBytes(new Object[] {p, 1})).size());
  }

  @Test
  void jacksonScoresTreesAndJavaStaysNeutral() {
    Serializer json = serializer("json");
    assertEquals(6, json.fit(NODES.numberNode(5), int.class));
    assertEquals(5, json.fit(NODES.numberNode(5), long.class));
    assertEquals(6, json.fit(NODES.numberNode(1.5), double.class));
    assertEquals(6, json.fit(NODES.textNode("x"), String.class));
    assertEquals(0, json.fit(NODES.booleanNode(true), int.class));
    assertEquals(1, json.fit(NODES.textNode("x"), Object.class));
    assertEquals(0, json.fit("not a tree", String.class));

    Serializer java = serializer("java");
    assertEquals(0, java.fit(5, int.class));
    assertEquals(0, java.fit("x", String.class));
    assertNull(java.plan(new Type[] {int.class}));
  }

  @Test
  void binaryShortcutsKnowJsonAndCborOnly() {
    assertEquals(BinaryPayloads.Form.BASE64_TEXT,
        BinaryPayloads.Form.of(Mappers.json(Limits.defaults()).getFactory()));
    assertEquals(BinaryPayloads.Form.CBOR_BYTES,
        BinaryPayloads.Form.of(Mappers.cbor(Limits.defaults()).getFactory()));
  }
}
