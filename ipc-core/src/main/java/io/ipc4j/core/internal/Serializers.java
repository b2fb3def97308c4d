package io.ipc4j.core.internal;

import io.ipc4j.core.Limits;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The serializers one peer accepts, by name, all bounded by the same {@link Limits}. */
public final class Serializers {
  /** The serializers every server accepts unless told otherwise. */
  public static final List<String> DEFAULT_NAMES = List.of("json", "cbor");

  private final Map<String, Serializer> byName;
  private final JacksonSerializer json;

  private Serializers(Map<String, Serializer> byName, JacksonSerializer json) {
    this.byName = byName;
    this.json = json;
  }

  /**
   * The named serializers bounded by {@code limits}.
   *
   * @throws IllegalArgumentException naming an unknown serializer and the known ones
   */
  public static Serializers of(List<String> names, Limits limits) {
    JacksonSerializer json = new JacksonSerializer("json", Mappers.json(limits), limits);
    Map<String, Serializer> byName = new LinkedHashMap<>();
    for (String name : names) {
      switch (name) {
        case "json" -> byName.put(name, json);
        case "cbor" -> byName.put(
            name, new JacksonSerializer("cbor", Mappers.cbor(limits), limits));
        default -> throw new IllegalArgumentException(
            "unknown serializer '" + name + "'; known: " + String.join(", ", DEFAULT_NAMES));
      }
    }
    if (byName.isEmpty()) {
      throw new IllegalArgumentException("at least one serializer is needed");
    }
    return new Serializers(Collections.unmodifiableMap(byName), json);
  }

  /** The serializer called {@code name}, or null when it is not accepted. */
  public Serializer get(String name) {
    return byName.get(name);
  }

  /** The accepted names, in the order given. */
  public List<String> names() {
    return new ArrayList<>(byName.keySet());
  }

  /** The JSON serializer, which also reads and writes the ListValue form (always available). */
  public JacksonSerializer json() {
    return json;
  }
}
