package io.ipc4j.core.internal;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.PropertyWriter;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;
import com.fasterxml.jackson.databind.type.MapLikeType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.ipc4j.core.IpcDefaults;
import io.ipc4j.core.Limits;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Channel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.Spliterator;
import java.util.stream.BaseStream;

/**
 * Whether a value travels through the default serializer and arrives as an equal value of the
 * same shape: the work behind {@code IpcServer.testSerializable(Object)}, which documents the
 * rules.
 *
 * <p>The value is sent both ways a call sends values: as an argument (written as the client
 * writes arguments, read and converted as the server reads them) and as a result (written as the
 * server writes a result, read as the client reads it), each time as the type a receiver would
 * declare for it ({@link #typeOf}), and what arrives is compared with what was sent ({@link
 * #same}).
 */
public final class SerializableCheck {

  private SerializableCheck() {}

  /** The default serializer, built on first use and shared: Jackson's mappers are thread-safe. */
  private static final class Default {
    static final Limits LIMITS = Limits.defaults();
    static final Serializers SERIALIZERS =
        Serializers.of(List.of(IpcDefaults.SERIALIZER), LIMITS);
    static final Serializer SERIALIZER = SERIALIZERS.get(IpcDefaults.SERIALIZER);
    /** The same configuration, for the types and properties the serializer sees. */
    static final ObjectMapper MAPPER = SERIALIZERS.json().mapper();
    static final TypeFactory TYPES = MAPPER.getTypeFactory();
    static final JavaType OBJECT = TYPES.constructType(Object.class);
    /** The element type of an empty container while types are inferred: it fits any other. */
    static final JavaType UNKNOWN = TYPES.constructType(Unknown.class);
  }

  /** Stands for nothing known ({@link Default#UNKNOWN}); never read or written. */
  private static final class Unknown {}

  /** Thrown inside the walk for a value that cannot travel; never leaves this class. */
  private static final class CannotTravel extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CannotTravel() {
      super(null, null, false, false);
    }
  }

  /** Whether {@code value} can be sent, as {@code IpcServer.testSerializable} documents it. */
  public static boolean test(Object value) {
    try {
      Serializer serializer = Default.SERIALIZER;
      JavaType type = typeOf(value);
      List<Object> items = serializer.readArguments(
          serializer.writeArguments(new Object[] {value}));
      if (items.size() != 1 || !same(value, serializer.convert(items.get(0), type), 1)) {
        return false;
      }
      return same(value, serializer.readValue(serializer.writeValue(value, type), type), 1);
    } catch (StackOverflowError e) {
      return false;
    } catch (VirtualMachineError e) {
      throw e; // out of memory: not an answer about the value
    } catch (Throwable e) {
      // CannotTravel, the serializer's errors, and whatever a getter or constructor throws.
      return false;
    }
  }

  /**
   * The type a receiver declares for {@code value}: its own class (for a JDK class that is not
   * public, such as a {@code ZoneId}'s, its nearest public superclass); for a map, list, set or
   * other collection, its own class when that can be built (public, with a public no-argument
   * constructor) or else the collection interface it implements, with the element types its
   * elements share (Object when they differ); an Optional of its content's type.
   *
   * @throws CannotTravel for a resource or lambda anywhere in the containers, or containers
   *     nested deeper than the serializer's depth limit (a collection containing itself)
   */
  private static JavaType typeOf(Object value) {
    return known(typeOf(value, 1));
  }

  /** {@link #typeOf(Object)}, where the element types of empty containers are still unknown. */
  private static JavaType typeOf(Object value, int depth) {
    if (depth > Default.LIMITS.maxDepth()) {
      throw new CannotTravel();
    }
    if (value == null) {
      return Default.UNKNOWN;
    }
    if (isResource(value)) {
      throw new CannotTravel();
    }
    TypeFactory types = Default.TYPES;
    if (value instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Class<? extends Map<?, ?>> raw = (Class<? extends Map<?, ?>>) ownOr(map.getClass(),
          SortedMap.class, Map.class);
      @SuppressWarnings({"rawtypes", "unchecked"})
      JavaType type = types.constructMapType((Class) raw,
          shared(map.keySet(), depth), shared(map.values(), depth));
      return type;
    }
    if (value instanceof Collection<?> collection) {
      @SuppressWarnings("unchecked")
      Class<? extends Collection<?>> raw = (Class<? extends Collection<?>>) ownOr(
          collection.getClass(), List.class, SortedSet.class, Set.class, Deque.class,
          Queue.class, Collection.class);
      @SuppressWarnings({"rawtypes", "unchecked"})
      JavaType type = types.constructCollectionType((Class) raw, shared(collection, depth));
      return type;
    }
    if (value instanceof Optional<?> optional) {
      return types.constructReferenceType(Optional.class,
          optional.isPresent() ? typeOf(optional.get(), depth + 1) : Default.UNKNOWN);
    }
    if (value instanceof Object[] array) {
      for (Object item : array) {
        typeOf(item, depth + 1); // only to find what cannot travel
      }
    }
    if (value instanceof Enum<?> constant) {
      return types.constructType(constant.getDeclaringClass()); // not a constant's own body
    }
    Class<?> type = value.getClass();
    while (type.getClassLoader() == null && !Modifier.isPublic(type.getModifiers())) {
      type = type.getSuperclass();
    }
    return types.constructType(type);
  }

  /**
   * The type all non-null {@code items} share, where an empty container fits one that is not;
   * {@link Default#UNKNOWN} when there are none, Object when they differ.
   */
  private static JavaType shared(Collection<?> items, int depth) {
    JavaType shared = Default.UNKNOWN;
    for (Object item : items) {
      if (item != null) {
        JavaType type = typeOf(item, depth + 1); // also for the rest, to find what cannot travel
        shared = shared == null ? null : merge(shared, type);
      }
    }
    return shared == null ? Default.OBJECT : shared;
  }

  /** The type that holds both, where an unknown type fits any; null when they differ. */
  private static JavaType merge(JavaType a, JavaType b) {
    if (a.equals(b) || isUnknown(b)) {
      return a;
    }
    if (isUnknown(a)) {
      return b;
    }
    if (a.getRawClass() != b.getRawClass()) {
      return null;
    }
    JavaType merged = a;
    if (a.isMapLikeType()) {
      JavaType key = merge(a.getKeyType(), b.getKeyType());
      if (key == null) {
        return null;
      }
      merged = ((MapLikeType) a).withKeyType(key);
    }
    if (a.isContainerType() || a.isReferenceType()) {
      JavaType content = merge(a.getContentType(), b.getContentType());
      return content == null ? null : merged.withContentType(content);
    }
    return null;
  }

  private static boolean isUnknown(JavaType type) {
    return type.getRawClass() == Unknown.class;
  }

  /** {@code type} with each {@link Default#UNKNOWN} in it made Object. */
  private static JavaType known(JavaType type) {
    if (isUnknown(type)) {
      return Default.OBJECT;
    }
    JavaType known = type;
    if (type.isMapLikeType()) {
      known = ((MapLikeType) type).withKeyType(known(type.getKeyType()));
    }
    if (type.isContainerType() || type.isReferenceType()) {
      known = known.withContentType(known(type.getContentType()));
    }
    return known;
  }

  /** {@code type} when a reader can build it, else the first of {@code interfaces} it has. */
  private static Class<?> ownOr(Class<?> type, Class<?>... interfaces) {
    if (Modifier.isPublic(type.getModifiers()) && !Modifier.isAbstract(type.getModifiers())) {
      for (Constructor<?> c : type.getConstructors()) {
        if (c.getParameterCount() == 0) {
          return type;
        }
      }
    }
    for (Class<?> i : interfaces) {
      if (i.isAssignableFrom(type)) {
        return i;
      }
    }
    throw new CannotTravel();
  }

  /** Threads, streams, iterators, sockets, channels and lambdas: state that cannot travel. */
  private static boolean isResource(Object value) {
    Class<?> type = value.getClass();
    return type.isHidden() || type.isSynthetic()
        || value instanceof Thread || value instanceof BaseStream<?, ?>
        || value instanceof Iterator<?> || value instanceof Spliterator<?>
        || value instanceof InputStream || value instanceof OutputStream
        || value instanceof Reader || value instanceof Writer
        || value instanceof Socket || value instanceof ServerSocket
        || value instanceof DatagramSocket || value instanceof Channel;
  }

  /**
   * Whether {@code got} is an equal value of the same shape as {@code sent}; the rules are those
   * of {@code IpcServer.testSerializable(Object)}.
   */
  private static boolean same(Object sent, Object got, int depth) {
    if (depth > Default.LIMITS.maxDepth()) {
      return false;
    }
    if (sent == null || got == null) {
      return sent == got;
    }
    if (sent instanceof Map<?, ?> map) {
      return got instanceof Map<?, ?> back && sameMaps(map, back, depth);
    }
    if (sent instanceof List<?> list) {
      return got instanceof List<?> back && sameInOrder(list, back, depth);
    }
    if (sent instanceof Set<?> set) {
      return got instanceof Set<?> back && sameSets(set, back, depth);
    }
    if (sent instanceof Collection<?> collection) {
      return got instanceof Collection<?> back && !(back instanceof List<?>)
          && !(back instanceof Set<?>) && sameInOrder(collection, back, depth);
    }
    if (sent.getClass().isArray()) {
      return sameArrays(sent, got, depth);
    }
    if (sent instanceof Optional<?> optional) {
      return got instanceof Optional<?> back && optional.isPresent() == back.isPresent()
          && (optional.isEmpty() || same(optional.get(), back.get(), depth + 1));
    }
    if (sent.equals(got)) {
      return true;
    }
    if (sent instanceof Number number) {
      return got instanceof Number back && sameNumbers(number, back);
    }
    return sameProperties(sent, got, depth);
  }

  private static boolean sameMaps(Map<?, ?> sent, Map<?, ?> got, int depth) {
    if (sent.size() != got.size()) {
      return false;
    }
    for (Map.Entry<?, ?> e : sent.entrySet()) {
      if (!got.containsKey(e.getKey()) || !same(e.getValue(), got.get(e.getKey()), depth + 1)) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameInOrder(Collection<?> sent, Collection<?> got, int depth) {
    if (sent.size() != got.size()) {
      return false;
    }
    Iterator<?> back = got.iterator();
    for (Object item : sent) {
      if (!back.hasNext() || !same(item, back.next(), depth + 1)) {
        return false;
      }
    }
    return !back.hasNext();
  }

  /**
   * Set equality; where it fails (mixed elements, read as untyped), each element sent must match
   * its own element that arrived.
   */
  private static boolean sameSets(Set<?> sent, Set<?> got, int depth) {
    if (sent.size() != got.size()) {
      return false;
    }
    if (sent.equals(got)) {
      return true;
    }
    List<Object> unmatched = new ArrayList<>(got);
    for (Object item : sent) {
      boolean found = false;
      for (Iterator<Object> i = unmatched.iterator(); i.hasNext() && !found; ) {
        if (same(item, i.next(), depth + 1)) {
          i.remove();
          found = true;
        }
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  /** Arrays of the same class, compared element by element (deeply). */
  private static boolean sameArrays(Object sent, Object got, int depth) {
    if (sent.getClass() != got.getClass()) {
      return false;
    }
    if (!(sent instanceof Object[] items)) {
      return Objects.deepEquals(sent, got); // primitives
    }
    Object[] back = (Object[]) got;
    if (items.length != back.length) {
      return false;
    }
    for (int i = 0; i < items.length; i++) {
      if (!same(items[i], back[i], depth + 1)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Numbers not equal by {@code equals}: an integer that arrived as another integer class (an
   * Integer as a Long where only Object was declared) with the same value, or a Float that
   * arrived as the Double of the same decimal text.
   */
  private static boolean sameNumbers(Number sent, Number got) {
    BigInteger a = integer(sent);
    BigInteger b = integer(got);
    if (a != null && b != null) {
      return a.equals(b);
    }
    return sent instanceof Float f && got instanceof Double d
        && Float.compare(f, d.floatValue()) == 0;
  }

  /** The value of a JDK integer type, or null. */
  private static BigInteger integer(Number n) {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
      return BigInteger.valueOf(n.longValue());
    }
    return n instanceof BigInteger big ? big : null;
  }

  /**
   * Records, and beans whose class does not override {@code equals}: the same class, with at
   * least one property, and each property the serializer writes the same by these rules. A class
   * that overrides {@code equals} has already answered.
   */
  private static boolean sameProperties(Object sent, Object got, int depth) {
    Class<?> type = sent.getClass();
    if (type != got.getClass() || !type.isRecord() && overridesEquals(type)) {
      return false;
    }
    JsonSerializer<Object> serializer;
    try {
      serializer = Default.MAPPER.getSerializerProviderInstance().findValueSerializer(type);
    } catch (JsonMappingException e) {
      return false;
    }
    if (!(serializer instanceof BeanSerializerBase bean)) {
      return false;
    }
    boolean any = false;
    for (Iterator<PropertyWriter> i = bean.properties(); i.hasNext(); ) {
      if (!(i.next() instanceof BeanPropertyWriter property)) {
        return false;
      }
      try {
        if (!same(property.get(sent), property.get(got), depth + 1)) {
          return false;
        }
      } catch (Exception e) {
        return false;
      }
      any = true;
    }
    return any;
  }

  private static boolean overridesEquals(Class<?> type) {
    try {
      return type.getMethod("equals", Object.class).getDeclaringClass() != Object.class;
    } catch (NoSuchMethodException e) {
      return false; // every class has it
    }
  }
}
