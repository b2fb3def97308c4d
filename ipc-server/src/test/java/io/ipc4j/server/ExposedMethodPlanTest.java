package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.ipc4j.core.Limits;
import io.ipc4j.core.internal.Serializer;
import io.ipc4j.core.internal.Serializers;
import java.lang.reflect.Type;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A method keeps each serializer's argument plan, made once, and asks nothing of the format. */
class ExposedMethodPlanTest {

  /** The methods planned. */
  public static final class Target {
    public int add(int a, String b) {
      return a;
    }

    public List<String> many(List<String> items) {
      return items;
    }
  }

  private static ExposedMethod method(String name) throws NoSuchMethodException {
    for (var m : Target.class.getMethods()) {
      if (m.getName().equals(name)) {
        return new ExposedMethod("target", m, Target.class);
      }
    }
    throw new NoSuchMethodException(name);
  }

  @Test
  void eachSerializersPlanIsMadeOnceAndKept() throws Exception {
    Serializers serializers = Serializers.of(List.of("json", "cbor"), Limits.defaults());
    Serializer json = serializers.get("json");
    Serializer cbor = serializers.get("cbor");
    ExposedMethod add = method("add");

    Serializer.ArgumentPlan jsonPlan = add.plan(json);
    assertNotNull(jsonPlan);
    assertSame(jsonPlan, add.plan(json));
    assertNotSame(jsonPlan, add.plan(cbor));
    assertSame(add.plan(cbor), add.plan(cbor));
    assertNull(method("many").plan(json), "a list takes the tree path");

    Object[] args = cbor.readArguments(cbor.writeArgumentBytes(new Object[] {2, "x"}),
        add.plan(cbor));
    assertEquals(2, args[0]);
    assertEquals("x", args[1]);
  }

  @Test
  void aSerializerWithoutAFastPathIsAskedOnce() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    Serializer json = Serializers.of(List.of("json"), Limits.defaults()).get("json");
    Serializer counting = new CountingSerializer(json, asked);
    ExposedMethod add = method("add");

    assertNull(add.plan(counting));
    assertNull(add.plan(counting));
    assertEquals(1, asked.get());
  }

  /** A serializer with no fast path that counts how often it is asked for a plan. */
  private record CountingSerializer(Serializer inner, AtomicInteger asked) implements Serializer {
    @Override
    public String name() {
      return "counting";
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

    @Override
    public ArgumentPlan plan(Type[] parameterTypes) {
      asked.incrementAndGet();
      return null;
    }
  }
}
