package io.ipc4j.core.internal;

import io.ipc4j.core.Limits;
import io.ipc4j.core.Settings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The serializers one peer accepts, by name, all bounded by the same {@link Limits}. Every
 * serializer, built-in or not, comes from a {@link Serializer.Factory} found with {@link
 * ServiceLoader}; the built-in ones are asked first.
 */
public final class Serializers {
  /** The serializers every server accepts unless told otherwise. */
  public static final List<String> DEFAULT_NAMES = Formats.DEFAULTS;

  private final Map<String, Serializer> byName;
  private final JacksonSerializer json;

  private Serializers(Map<String, Serializer> byName, JacksonSerializer json) {
    this.byName = byName;
    this.json = json;
  }

  /** The registered factories, loaded once: the built-in ones first, then others as found. */
  private static final class Registered {
    static final List<Serializer.Factory> FACTORIES = load();

    private static List<Serializer.Factory> load() {
      List<Serializer.Factory> all = new ArrayList<>();
      ServiceLoader.load(Serializer.Factory.class, Serializers.class.getClassLoader())
          .forEach(all::add);
      all.sort(Comparator.comparing(f -> f.getClass().getPackage() != Serializers.class
          .getPackage())); // stable: false (built-in) before true
      return List.copyOf(all);
    }
  }

  /**
   * The names of every registered serializer, built-in first; those that need an allow-list
   * ({@link Formats#needsAllowList}) only when {@code withAllowListed}.
   */
  public static List<String> known(boolean withAllowListed) {
    List<String> names = new ArrayList<>();
    for (Serializer.Factory factory : Registered.FACTORIES) {
      for (String name : factory.names()) {
        if ((withAllowListed || !Formats.needsAllowList(name)) && !names.contains(name)) {
          names.add(name);
        }
      }
    }
    return names;
  }

  /**
   * Checks that {@code name} is a registered serializer, now, when a builder is given it; one
   * that needs an allow-list is left to be checked when the allow-list is known.
   *
   * @throws IllegalArgumentException naming the unknown serializer and the known ones
   */
  public static void checkName(String name) {
    if (!Formats.needsAllowList(name) && !known(true).contains(name)) {
      throw unknown(name, false);
    }
  }

  /**
   * The serializer that key {@code serializer} of a settings file names, for a server or a
   * client: a registered one, or java when {@code javaAllowList} enables it.
   *
   * @throws IllegalArgumentException naming the file, the key, the value and what is expected
   */
  public static String fromSettings(Settings settings, String name, List<String> javaAllowList) {
    if (known(!javaAllowList.isEmpty()).contains(name)) {
      return name;
    }
    throw settings.badValue("serializer", name, "expected one of "
        + String.join(", ", known(false)));
  }

  /**
   * The names a client reads answers in: the defaults, the one it writes ({@code chosen}), and
   * those that need an allow-list when {@code javaAllowList} gives one.
   */
  public static List<String> readable(String chosen, List<String> javaAllowList) {
    List<String> names = new ArrayList<>(DEFAULT_NAMES);
    if (!names.contains(chosen)) {
      names.add(chosen);
    }
    if (!javaAllowList.isEmpty()) {
      for (String name : known(true)) {
        if (Formats.needsAllowList(name) && !names.contains(name)) {
          names.add(name);
        }
      }
    }
    return names;
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
    boolean allowList = !javaAllowList.isEmpty();
    Map<String, Serializer> byName = new LinkedHashMap<>();
    for (String name : names) {
      if (Formats.needsAllowList(name) && !allowList) {
        throw new IllegalArgumentException("unknown serializer '" + name + "'; known: "
            + String.join(", ", known(false)) + "; " + name + " serialization is off unless"
            + " enabled with an allow-list of the classes it may read");
      }
      Serializer serializer = create(name, limits, javaAllowList);
      if (serializer == null) {
        throw unknown(name, allowList);
      }
      byName.put(name, serializer);
    }
    if (byName.isEmpty()) {
      throw new IllegalArgumentException("at least one serializer is needed");
    }
    JacksonSerializer json = byName.get(Formats.JSON) instanceof JacksonSerializer j ? j
        : new JacksonSerializer(Formats.JSON, Mappers.json(limits), limits);
    return new Serializers(Collections.unmodifiableMap(byName), json);
  }

  /** What the first factory that knows {@code name} makes of it; null when none does. */
  private static Serializer create(String name, Limits limits, List<String> javaAllowList) {
    for (Serializer.Factory factory : Registered.FACTORIES) {
      Serializer serializer = factory.create(name, limits, javaAllowList);
      if (serializer != null) {
        return serializer;
      }
    }
    return null;
  }

  private static IllegalArgumentException unknown(String name, boolean withAllowListed) {
    return new IllegalArgumentException("unknown serializer '" + name + "'; known: "
        + String.join(", ", known(withAllowListed)));
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
