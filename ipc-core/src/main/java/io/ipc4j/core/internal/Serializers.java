package io.ipc4j.core.internal;

import io.ipc4j.core.Limits;
import io.ipc4j.core.Settings;
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
   * The serializer that key {@code serializer} of a settings file names, for a server or a
   * client: json, cbor, or java when {@code javaAllowList} enables it.
   *
   * @throws IllegalArgumentException naming the file, the key, the value and what is expected
   */
  public static String fromSettings(Settings settings, String name, List<String> javaAllowList) {
    if (DEFAULT_NAMES.contains(name) || name.equals("java") && !javaAllowList.isEmpty()) {
      return name;
    }
    throw settings.badValue("serializer", name, "expected one of "
        + String.join(", ", DEFAULT_NAMES));
  }

  /**
   * The named serializers bounded by {@code limits}; {@code java} is unknown here (see {@link
   * #of(List, Limits, List)}).
   *
   * @throws IllegalArgumentException naming an unknown serializer and the known ones
   */
  public static Serializers of(List<String> names, Limits limits) {
    return of(names, limits, List.of());
  }

  /**
   * The named serializers bounded by {@code limits}, where {@code java} (Java serialization) is
   * known only when {@code javaAllowList} names the classes it may read (see {@link
   * JavaSerializer}); an empty allow-list leaves it unknown, as it is by default.
   *
   * @throws IllegalArgumentException naming an unknown serializer and the known ones, or a bad
   *     allow-list entry
   */
  public static Serializers of(List<String> names, Limits limits, List<String> javaAllowList) {
    boolean javaEnabled = !javaAllowList.isEmpty();
    JacksonSerializer json = new JacksonSerializer("json", Mappers.json(limits), limits);
    Map<String, Serializer> byName = new LinkedHashMap<>();
    for (String name : names) {
      switch (name) {
        case "json" -> byName.put(name, json);
        case "cbor" -> byName.put(
            name, new JacksonSerializer("cbor", Mappers.cbor(limits), limits));
        case JavaSerializer.NAME -> {
          if (!javaEnabled) {
            throw new IllegalArgumentException("unknown serializer 'java'; known: "
                + String.join(", ", DEFAULT_NAMES) + "; java serialization is off unless"
                + " enabled with an allow-list of the classes it may read");
          }
          byName.put(name, new JavaSerializer(javaAllowList, limits));
        }
        default -> throw new IllegalArgumentException("unknown serializer '" + name
            + "'; known: " + String.join(", ", DEFAULT_NAMES) + (javaEnabled ? ", java" : ""));
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
