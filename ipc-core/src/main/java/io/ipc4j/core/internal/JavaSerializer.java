package io.ipc4j.core.internal;

import io.ipc4j.core.Limits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code java} serializer: Java serialization, for peers that must send {@code Serializable}
 * objects as they are. Off unless enabled with an allow-list, because a Java stream names the
 * classes to instantiate (the path by which RMI and Dubbo's generic invocation were broken).
 *
 * <p>A read accepts only the classes of the allow-list, checked twice: by name before a class is
 * even loaded, and by an {@link ObjectInputFilter} (built with {@link
 * ObjectInputFilter.Config#createFilter}: the allow-list, then {@code !*}, with {@code maxdepth},
 * {@code maxrefs}, {@code maxbytes} and {@code maxarray} from the {@link Limits}). A class that is
 * not allowed is refused before any of its code, {@code readObject} or static initializer, runs.
 * Dynamic proxies are refused, and no array may declare more elements than the bytes left in the
 * message, so a short message cannot make the reader allocate a huge array.
 *
 * <p>Allow-list entries use {@code createFilter}'s class patterns: {@code com.example.Point} (one
 * class), {@code com.example.*} (a package), {@code com.example.**} (a package and its
 * subpackages) or {@code com.example.Po*} (a prefix). Serializable superclasses must be allowed
 * too. The boxed primitives, {@code String}, {@code BigInteger}, {@code BigDecimal}, {@code
 * Number}, {@code Enum} and {@code Object} (for the argument array) are always allowed. Hash-based
 * collections re-hash their keys while reading; allow them only where peers are trusted.
 */
public final class JavaSerializer implements Serializer {
  /** The name requests carry: {@value}. */
  public static final String NAME = Formats.JAVA;

  /** What every allow-list holds: the argument array's element type and plain values. */
  static final List<String> ALWAYS_ALLOWED = List.of(
      "java.lang.Object", "java.lang.String", "java.lang.Number", "java.lang.Enum",
      "java.lang.Boolean", "java.lang.Character", "java.lang.Byte", "java.lang.Short",
      "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double",
      "java.math.BigInteger", "java.math.BigDecimal");

  /** Each wrapper and the primitives whose values it may widen to (JLS 5.1.2). */
  private static final Map<Class<?>, Set<Class<?>>> WIDENS_TO = Map.of(
      Byte.class, Set.of(short.class, int.class, long.class, float.class, double.class),
      Short.class, Set.of(int.class, long.class, float.class, double.class),
      Character.class, Set.of(int.class, long.class, float.class, double.class),
      Integer.class, Set.of(long.class, float.class, double.class),
      Long.class, Set.of(float.class, double.class),
      Float.class, Set.of(double.class));

  private final List<String> patterns;
  private final List<String> allowList;
  private final Limits limits;
  private final ObjectInputFilter filter;

  /**
   * A serializer that reads only the classes {@code allowList} names.
   *
   * @throws IllegalArgumentException when the allow-list is empty or an entry is not a class
   *     pattern, or allows every class
   */
  JavaSerializer(List<String> allowList, Limits limits) {
    Objects.requireNonNull(allowList, "allowList == null");
    this.limits = Objects.requireNonNull(limits, "limits == null");
    if (allowList.isEmpty()) {
      throw new IllegalArgumentException(
          "the java serializer needs an allow-list of at least one class or package");
    }
    allowList.forEach(JavaSerializer::checkPattern);
    this.allowList = List.copyOf(allowList);
    List<String> all = new ArrayList<>(ALWAYS_ALLOWED);
    all.addAll(allowList);
    this.patterns = List.copyOf(all);
    this.filter = ObjectInputFilter.Config.createFilter("maxdepth=" + limits.maxDepth()
        + ";maxrefs=" + maxReferences() + ";maxbytes=" + limits.maxMessageSize()
        + ";maxarray=" + limits.maxMessageSize() + ";" + String.join(";", all) + ";!*");
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The allow-list as given, without the classes that are always allowed. */
  public List<String> allowList() {
    return allowList;
  }

  /** The filter built from the allow-list and the limits (the second of the two checks). */
  ObjectInputFilter filter() {
    return filter;
  }

  @Override
  public List<Object> readArguments(byte[] data) {
    Object root;
    try {
      root = read(data, true);
    } catch (Refused e) {
      throw new IllegalArgumentException("java arguments " + e.getMessage(), e.getCause());
    }
    if (!(root instanceof Object[] args)) {
      throw new IllegalArgumentException("java arguments must be an Object[], not "
          + (root == null ? "null" : "a " + root.getClass().getName()));
    }
    return new ArrayList<>(Arrays.asList(args));
  }

  @Override
  public Object convert(Object argument, Type type) {
    if (argument == null || fits(argument, type)) {
      return argument;
    }
    throw new IllegalArgumentException(
        "a " + argument.getClass().getName() + " does not fit " + type.getTypeName());
  }

  @Override
  public byte[] writeArguments(Object[] args) {
    try {
      return write(args == null ? new Object[0] : args);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("arguments cannot be written as java: " + reason(e), e);
    }
  }

  @Override
  public byte[] writeValue(Object value, Type type) {
    try {
      return write(value);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("a " + (value == null ? "null" : value.getClass().getName())
          + " cannot be written as java: " + reason(e), e);
    }
  }

  @Override
  public Object readValue(byte[] data, Type type) {
    String what = "cannot read a " + type.getTypeName() + " from java: ";
    Object value;
    try {
      value = read(data, false);
    } catch (Refused e) {
      throw new SerializationException(what + "the bytes " + e.getMessage(), e.getCause());
    }
    if (value != null && !fits(value, type)) {
      throw new SerializationException(
          what + "the bytes hold a " + value.getClass().getName(), null);
    }
    return value;
  }

  private static byte[] write(Object value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    return bytes.toByteArray();
  }

  /** Reads one object under both checks; {@code arguments} bounds the root array's length. */
  private Object read(byte[] data, boolean arguments) throws Refused {
    if (data.length > limits.maxMessageSize()) {
      throw new Refused(exceeds("maxMessageSize", limits.maxMessageSize()), null);
    }
    Guard guard = new Guard(data.length, arguments);
    try (Input in = new Input(data, guard)) {
      return in.readObject();
    } catch (IOException | ClassNotFoundException | RuntimeException e) {
      if (guard.refusal != null) {
        throw new Refused(guard.refusal, e);
      }
      // Bytes from a peer: whatever breaks while reading them, they are malformed.
      throw new Refused("are malformed: " + reason(e), e);
    }
  }

  private long maxReferences() {
    return limits.maxMessageSize();
  }

  private static String exceeds(String limit, long value) {
    return "exceed the " + limit + " limit (" + value + ")";
  }

  private static String reason(Exception e) {
    if (e instanceof NotSerializableException) {
      return e.getMessage() + " is not Serializable";
    }
    return e.getMessage() == null ? e.getClass().getName()
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /** Whether {@code name} (a class name from the stream) is on the allow-list. */
  boolean allows(String name) {
    for (String pattern : patterns) {
      if (matches(pattern, name)) {
        return true;
      }
    }
    return false;
  }

  /** createFilter's class pattern rules: exact, {@code pkg.*}, {@code pkg.**}, {@code prefix*}. */
  private static boolean matches(String pattern, String name) {
    if (pattern.endsWith(".**")) {
      return name.startsWith(pattern.substring(0, pattern.length() - 2));
    }
    if (pattern.endsWith(".*")) {
      String pkg = pattern.substring(0, pattern.length() - 1);
      return name.startsWith(pkg) && name.indexOf('.', pkg.length()) < 0;
    }
    if (pattern.endsWith("*")) {
      return name.startsWith(pattern.substring(0, pattern.length() - 1));
    }
    return name.equals(pattern);
  }

  private static void checkPattern(String entry) {
    if (entry == null || entry.isBlank()) {
      throw new IllegalArgumentException("allow-list entries must not be null or blank");
    }
    for (char c : entry.toCharArray()) {
      if (!(Character.isJavaIdentifierPart(c) || c == '.' || c == '*') || c == '\u0000') {
        throw new IllegalArgumentException("allow-list entry '" + entry + "' is not a class or"
            + " package pattern (a.b.C, a.b.*, a.b.** or a.b.C*)");
      }
    }
    String fixed = entry.replace("*", "").replace(".", "");
    if (fixed.isEmpty()) {
      throw new IllegalArgumentException("allow-list entry '" + entry
          + "' allows every class; name the classes or packages to allow");
    }
    int star = entry.indexOf('*');
    if (star >= 0 && star < entry.length() - 1 && !entry.endsWith(".**")) {
      throw new IllegalArgumentException("allow-list entry '" + entry
          + "' has a '*' that is not at its end");
    }
  }

  /** Whether {@code value} is an instance of {@code type}, boxed or widened as Java would. */
  private static boolean fits(Object value, Type type) {
    Class<?> raw = raw(type);
    if (raw.isPrimitive()) {
      Class<?> boxed = Array.get(Array.newInstance(raw, 1), 0).getClass();
      return boxed.isInstance(value)
          || WIDENS_TO.getOrDefault(value.getClass(), Set.of()).contains(raw);
    }
    return raw.isInstance(value);
  }

  private static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return raw(p.getRawType());
    }
    if (type instanceof GenericArrayType a) {
      return Array.newInstance(raw(a.getGenericComponentType()), 0).getClass();
    }
    if (type instanceof TypeVariable<?> v) {
      return raw(v.getBounds()[0]);
    }
    if (type instanceof WildcardType w) {
      return raw(w.getUpperBounds()[0]);
    }
    return Object.class;
  }

  /** Why a read failed: a refusal, a broken limit or malformed bytes. */
  private static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message, Throwable cause) {
      super(message, cause, false, false);
    }
  }

  /**
   * Applies the filter to one stream and remembers why it refused, so that errors name the class
   * or the limit.
   */
  private final class Guard implements ObjectInputFilter {
    private final long length;
    private final boolean arguments;
    String refusal;

    Guard(long length, boolean arguments) {
      this.length = length;
      this.arguments = arguments;
    }

    @Override
    public Status checkInput(FilterInfo info) {
      if (refusal != null) {
        return Status.REJECTED;
      }
      long elements = info.arrayLength();
      if (arguments && info.depth() == 1 && elements > limits.maxArguments()) {
        refusal = exceeds("maxArguments", limits.maxArguments());
        return Status.REJECTED;
      }
      if (elements > length - info.streamBytes()) {
        refusal = "hold an array of " + elements + " elements, more than the "
            + (length - info.streamBytes()) + " bytes left to read";
        return Status.REJECTED;
      }
      Status status = filter.checkInput(info);
      if (status == Status.REJECTED) {
        refusal = why(info);
      }
      return status;
    }

    private String why(FilterInfo info) {
      if (info.depth() > limits.maxDepth()) {
        return exceeds("maxDepth", limits.maxDepth());
      }
      if (info.streamBytes() > limits.maxMessageSize()) {
        return exceeds("maxMessageSize", limits.maxMessageSize());
      }
      if (info.references() > maxReferences()) {
        return exceeds("maxMessageSize", limits.maxMessageSize()) + ": " + info.references()
            + " references";
      }
      if (info.arrayLength() > limits.maxMessageSize()) {
        return exceeds("maxMessageSize", limits.maxMessageSize()) + ": an array of "
            + info.arrayLength() + " elements";
      }
      Class<?> type = info.serialClass();
      while (type != null && type.isArray()) {
        type = type.getComponentType();
      }
      return "name class " + (type == null ? "?" : type.getName())
          + ", which is not on the java serializer's allow-list";
    }
  }

  /** A stream that checks each class name against the allow-list before loading it. */
  private final class Input extends ObjectInputStream {
    private final Guard guard;

    Input(byte[] data, Guard guard) throws IOException {
      super(new ByteArrayInputStream(data));
      this.guard = guard;
      setObjectInputFilter(guard);
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
      String name = desc.getName();
      String element = elementName(name);
      if (element != null && !allows(element)) {
        guard.refusal = "name class " + element
            + ", which is not on the java serializer's allow-list";
        throw new InvalidClassException(name, "not on the java serializer's allow-list");
      }
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      return Class.forName(name, false,
          loader != null ? loader : JavaSerializer.class.getClassLoader());
    }

    @Override
    protected Class<?> resolveProxyClass(String[] interfaces) throws IOException {
      guard.refusal = "hold a dynamic proxy of " + String.join(", ", interfaces)
          + "; the java serializer reads no proxies";
      throw new InvalidClassException("proxy", "the java serializer reads no proxies");
    }

    /** The class an array name holds ({@code [[Lx.Y;} holds x.Y), null for primitives. */
    private String elementName(String name) {
      int dims = 0;
      while (dims < name.length() && name.charAt(dims) == '[') {
        dims++;
      }
      if (dims == 0) {
        return name;
      }
      if (name.length() > dims + 1 && name.charAt(dims) == 'L' && name.endsWith(";")) {
        return name.substring(dims + 1, name.length() - 1);
      }
      return name.length() == dims + 1 ? null : name;
    }
  }
}
