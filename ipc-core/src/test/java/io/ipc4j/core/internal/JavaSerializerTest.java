package io.ipc4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.core.Limits;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The {@code java} serializer: only allow-listed classes are read, a refused class runs none of
 * its code (no static initializer, no readObject) and is not even loaded, and the limits hold.
 */
class JavaSerializerTest {
  static final AtomicBoolean EVIL_INITIALISED = new AtomicBoolean();
  static final AtomicBoolean EVIL_READ = new AtomicBoolean();
  static final AtomicBoolean TRAP_READ = new AtomicBoolean();

  private static final String GOOD = Good.class.getName();
  /** Named only as text, so that nothing in this test loads it. */
  private static final String EVIL = JavaSerializerTest.class.getName() + "$Evil";
  private static final String TRAP = JavaSerializerTest.class.getName() + "$Trap";
  private static final List<String> ALLOW = List.of(GOOD, Node.class.getName());

  /** An allowed class. */
  static final class Good implements Serializable {
    private static final long serialVersionUID = 1L;
    final int x;

    Good(int x) {
      this.x = x;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Good g && g.x == x;
    }

    @Override
    public int hashCode() {
      return x;
    }
  }

  /** Never allowed; records whether any of its code ran. Same shape and name length as Good. */
  static final class Evil implements Serializable {
    private static final long serialVersionUID = 1L;

    static {
      EVIL_INITIALISED.set(true);
    }

    int x;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      EVIL_READ.set(true);
      in.defaultReadObject();
    }
  }

  /** As Evil, but allowed where a test says so: shows that such a stream does run readObject. */
  static final class Trap implements Serializable {
    private static final long serialVersionUID = 1L;
    int x;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      TRAP_READ.set(true);
      in.defaultReadObject();
    }
  }

  /** A linked list, to nest objects as deep as a test needs. */
  static final class Node implements Serializable {
    private static final long serialVersionUID = 1L;
    final Node next;

    Node(Node next) {
      this.next = next;
    }

    static Node chain(int length) {
      Node n = null;
      for (int i = 0; i < length; i++) {
        n = new Node(n);
      }
      return n;
    }
  }

  interface Greeter {
    String greet();
  }

  /** A serializable proxy handler, for a stream that holds a dynamic proxy. */
  record Handler() implements InvocationHandler, Serializable {
    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
      return "hi";
    }
  }

  /** Records every class name it is asked to load, then delegates. */
  static final class RecordingLoader extends ClassLoader {
    final Set<String> asked = ConcurrentHashMap.newKeySet();

    RecordingLoader() {
      super(JavaSerializerTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      asked.add(name);
      return super.loadClass(name, resolve);
    }
  }

  private static JavaSerializer serializer(List<String> allow, Limits limits) {
    return new JavaSerializer(allow, limits);
  }

  private static JavaSerializer serializer() {
    return serializer(ALLOW, Limits.defaults());
  }

  @Test
  void allowedClassesAndPlainValuesRoundTrip() {
    JavaSerializer java = serializer();
    Object[] args = {new Good(3), "text", 5, 7L, 2.5, true, 'c', new BigDecimal("1.10"),
        new BigInteger("123456789012345678901234567890"), null, new int[] {1, 2}};

    List<Object> read = java.readArguments(java.writeArguments(args));

    assertEquals(args.length, read.size());
    for (int i = 0; i < args.length - 1; i++) {
      assertEquals(args[i], read.get(i), "argument " + i);
    }
    assertArrayEquals(new int[] {1, 2}, (int[]) read.get(10));
    assertEquals(new Good(3), java.convert(read.get(0), Good.class));
    assertEquals(5, java.convert(read.get(2), int.class));
    assertEquals(5, java.convert(read.get(2), long.class), "an Integer widens to a long");
    assertEquals(7L, java.convert(read.get(3), Long.class));
    assertNull(java.convert(null, String.class));
    assertEquals(new Good(4), java.readValue(java.writeValue(new Good(4), Good.class),
        Good.class));
    assertEquals(List.of(), java.readArguments(java.writeArguments(null)));
  }

  @Test
  void collectionsNeedTheirClassesOnTheAllowList() {
    byte[] list = serializer().writeValue(new ArrayList<>(List.of(new Good(1))), List.class);

    SerializationException refused = assertThrows(SerializationException.class,
        () -> serializer().readValue(list, List.class));
    assertEquals("cannot read a java.util.List from java: the bytes name class"
        + " java.util.ArrayList, which is not on the java serializer's allow-list",
        refused.getMessage());

    JavaSerializer withLists = serializer(List.of(GOOD, "java.util.ArrayList"), Limits.defaults());
    assertEquals(List.of(new Good(1)), withLists.readValue(list, List.class));
  }

  @Test
  void aClassNotOnTheAllowListIsRefusedBeforeItIsLoadedOrRead() {
    byte[] evil = rename(serializer().writeArguments(new Object[] {new Good(1)}), GOOD, EVIL);
    RecordingLoader loader = new RecordingLoader();

    IllegalArgumentException e = withContextLoader(loader, () -> assertThrows(
        IllegalArgumentException.class, () -> serializer().readArguments(evil)));

    assertEquals("java arguments name class " + EVIL
        + ", which is not on the java serializer's allow-list", e.getMessage());
    assertFalse(EVIL_READ.get(), "Evil.readObject ran");
    assertFalse(EVIL_INITIALISED.get(), "Evil's static initializer ran");
    assertFalse(loader.asked.contains(EVIL), "Evil was loaded: " + loader.asked);
    // The reader loads the classes it allows through that loader: it would have seen Evil.
    withContextLoader(loader, () -> serializer().readArguments(
        serializer().writeArguments(new Object[] {new Good(1)})));
    assertTrue(loader.asked.contains(GOOD), loader.asked.toString());
  }

  @Test
  void theSameStreamRunsReadObjectWhenTheClassIsAllowed() {
    byte[] trap = rename(serializer().writeArguments(new Object[] {new Good(1)}), GOOD, TRAP);

    List<Object> read = serializer(List.of(TRAP), Limits.defaults()).readArguments(trap);

    assertEquals(TRAP, read.get(0).getClass().getName());
    assertTrue(TRAP_READ.get(), "the control's readObject did not run: the test proves nothing");
  }

  @Test
  void gadgetEntryPointsAreRefused() {
    JavaSerializer java = serializer();
    Map<String, Object> gadgets = Map.of(
        "java.util.HashMap", new HashMap<>(Map.of(new Good(1), new Good(2))),
        "java.util.PriorityQueue", new PriorityQueue<>(List.of(1, 2)));
    for (Map.Entry<String, Object> g : gadgets.entrySet()) {
      byte[] bytes = java.writeArguments(new Object[] {g.getValue()});
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> java.readArguments(bytes));
      assertEquals("java arguments name class " + g.getKey()
          + ", which is not on the java serializer's allow-list", e.getMessage());
    }
  }

  @Test
  void dynamicProxiesAreRefused() {
    Object proxy = Proxy.newProxyInstance(Greeter.class.getClassLoader(),
        new Class<?>[] {Greeter.class}, new Handler());
    JavaSerializer java = serializer(List.of(GOOD, Greeter.class.getName(),
        Handler.class.getName(), "java.lang.reflect.Proxy"), Limits.defaults());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> java.readArguments(java.writeArguments(new Object[] {proxy})));

    assertEquals("java arguments hold a dynamic proxy of " + Greeter.class.getName()
        + "; the java serializer reads no proxies", e.getMessage());
  }

  @Test
  void theFilterRefusesWhatTheAllowListDoesNotNameAndWhatBreaksALimit() {
    Limits limits = Limits.defaults().withMaxDepth(5).withMaxMessageSize(1000);
    ObjectInputFilter filter = serializer(ALLOW, limits).filter();

    assertEquals(ObjectInputFilter.Status.ALLOWED, filter.checkInput(info(Good.class, -1, 1)));
    assertEquals(ObjectInputFilter.Status.ALLOWED,
        filter.checkInput(info(Object[].class, 3, 1)));
    assertEquals(ObjectInputFilter.Status.REJECTED,
        filter.checkInput(info(HashMap.class, -1, 1)));
    assertEquals(ObjectInputFilter.Status.REJECTED,
        filter.checkInput(info(Runtime.class, -1, 1)));
    assertEquals(ObjectInputFilter.Status.REJECTED,
        filter.checkInput(info(ProcessBuilder[].class, 1, 1)));
    assertEquals(ObjectInputFilter.Status.REJECTED, filter.checkInput(info(null, -1, 6)),
        "maxdepth");
    assertEquals(ObjectInputFilter.Status.REJECTED,
        filter.checkInput(info(int[].class, 1001, 1)), "maxarray");
    assertTrue(filter.toString().contains("maxdepth=5"), filter.toString());
    assertTrue(filter.toString().endsWith("!*"), filter.toString());
  }

  @Test
  void nestingIsBoundedByMaxDepthCountingTheArgumentArray() {
    JavaSerializer java = serializer(ALLOW, Limits.defaults().withMaxDepth(5));
    // The argument array is level 1, so four nested objects reach level 5.
    assertEquals(1, java.readArguments(java.writeArguments(new Object[] {Node.chain(4)})).size());

    byte[] deeper = java.writeArguments(new Object[] {Node.chain(5)});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> java.readArguments(deeper));
    assertEquals("java arguments exceed the maxDepth limit (5)", e.getMessage());

    SerializationException value = assertThrows(SerializationException.class,
        () -> java.readValue(java.writeValue(Node.chain(6), Node.class), Node.class));
    assertEquals("cannot read a " + Node.class.getName()
        + " from java: the bytes exceed the maxDepth limit (5)", value.getMessage());
  }

  @Test
  void anArrayMayNotClaimMoreElementsThanTheBytesLeft() {
    JavaSerializer java = serializer();
    byte[] bytes = java.writeArguments(new Object[] {new byte[] {1, 2, 3, 4, 5, 6, 7, 8}});
    // The byte[]'s length is the int just before its eight bytes, at the end of the stream.
    int at = bytes.length - 8 - 4;
    assertEquals(8, ByteBuffer.wrap(bytes, at, 4).getInt());
    ByteBuffer.wrap(bytes, at, 4).putInt(1_000_000_000);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> java.readArguments(bytes));
    assertEquals("java arguments hold an array of 1000000000 elements, more than the 8 bytes"
        + " left to read", e.getMessage());
  }

  @Test
  void argumentCountAndMessageSizeAreBounded() {
    JavaSerializer java = serializer(ALLOW, Limits.defaults().withMaxArguments(3)
        .withMaxMessageSize(200));
    assertEquals(3, java.readArguments(java.writeArguments(new Object[] {1, 2, 3})).size());

    IllegalArgumentException many = assertThrows(IllegalArgumentException.class,
        () -> java.readArguments(java.writeArguments(new Object[] {1, 2, 3, 4})));
    assertEquals("java arguments exceed the maxArguments limit (3)", many.getMessage());

    IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
        () -> java.readArguments(java.writeArguments(new Object[] {"x".repeat(300)})));
    assertEquals("java arguments exceed the maxMessageSize limit (200)", big.getMessage());
  }

  @Test
  void malformedBytesAreAlwaysAnIllegalArgumentException() {
    JavaSerializer java = serializer();
    byte[] valid = java.writeArguments(new Object[] {new Good(1), "text", List.of(1), 5});
    Random random = new Random(42);
    for (int i = 0; i < 3000; i++) {
      byte[] bytes = Arrays.copyOf(valid, 1 + random.nextInt(valid.length));
      for (int flips = random.nextInt(4); flips > 0; flips--) {
        bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
      }
      try {
        java.readArguments(bytes);
      } catch (IllegalArgumentException expected) {
        assertTrue(expected.getMessage().startsWith("java arguments "), expected.getMessage());
      }
    }
    IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
        () -> java.readArguments("[1, 2]".getBytes(StandardCharsets.UTF_8)));
    assertTrue(text.getMessage().startsWith("java arguments are malformed: "),
        text.getMessage());
    IllegalArgumentException notAnArray = assertThrows(IllegalArgumentException.class,
        () -> java.readArguments(java.writeValue("one", String.class)));
    assertEquals("java arguments must be an Object[], not a java.lang.String",
        notAnArray.getMessage());
  }

  @Test
  void argumentsMustFitTheParameterType() {
    JavaSerializer java = serializer();

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> java.convert("one", int.class));
    assertEquals("a java.lang.String does not fit int", e.getMessage());
    IllegalArgumentException narrowing = assertThrows(IllegalArgumentException.class,
        () -> java.convert(5L, int.class));
    assertEquals("a java.lang.Long does not fit int", narrowing.getMessage());
    SerializationException value = assertThrows(SerializationException.class,
        () -> java.readValue(java.writeValue("one", String.class), Good.class));
    assertEquals("cannot read a " + GOOD + " from java: the bytes hold a java.lang.String",
        value.getMessage());
  }

  @Test
  void whatIsNotSerializableCannotBeWritten() {
    JavaSerializer java = serializer();

    SerializationException result = assertThrows(SerializationException.class,
        () -> java.writeValue(new Object(), Object.class));
    assertEquals("a java.lang.Object cannot be written as java: java.lang.Object is not"
        + " Serializable", result.getMessage());
    SerializationException args = assertThrows(SerializationException.class,
        () -> java.writeArguments(new Object[] {Thread.currentThread()}));
    assertEquals("arguments cannot be written as java: java.lang.Thread is not Serializable",
        args.getMessage());
  }

  @Test
  void theAllowListMustNameClassesOrPackages() {
    assertEquals("the java serializer needs an allow-list of at least one class or package",
        assertThrows(IllegalArgumentException.class,
            () -> serializer(List.of(), Limits.defaults())).getMessage());
    for (String everything : List.of("*", "**", ".*", ".**")) {
      assertEquals("allow-list entry '" + everything + "' allows every class; name the classes"
          + " or packages to allow", assertThrows(IllegalArgumentException.class,
              () -> serializer(List.of(everything), Limits.defaults())).getMessage());
    }
    for (String bad : List.of("a b", "!a.B", "maxdepth=5", "a.B;!*", "java.base/*")) {
      assertEquals("allow-list entry '" + bad + "' is not a class or package pattern (a.b.C,"
          + " a.b.*, a.b.** or a.b.C*)", assertThrows(IllegalArgumentException.class,
              () -> serializer(List.of(bad), Limits.defaults())).getMessage());
    }
    assertEquals("allow-list entry 'a.*.B' has a '*' that is not at its end",
        assertThrows(IllegalArgumentException.class,
            () -> serializer(List.of("a.*.B"), Limits.defaults())).getMessage());
  }

  @Test
  void patternsFollowCreateFilter() {
    JavaSerializer java = serializer(List.of("a.b.C", "p.*", "q.**", "r.Pre*"),
        Limits.defaults());

    assertTrue(java.allows("a.b.C"));
    assertFalse(java.allows("a.b.Cx"));
    assertTrue(java.allows("p.X"));
    assertTrue(java.allows("p.X$Inner"));
    assertFalse(java.allows("p.sub.X"));
    assertTrue(java.allows("q.X"));
    assertTrue(java.allows("q.sub.deeper.X"));
    assertFalse(java.allows("qq.X"));
    assertTrue(java.allows("r.Prefixed"));
    assertFalse(java.allows("r.Other"));
    assertTrue(java.allows("java.lang.Integer"), "boxed values are always allowed");
    assertFalse(java.allows("java.lang.Runtime"));
    assertEquals(List.of("a.b.C", "p.*", "q.**", "r.Pre*"), java.allowList());
  }

  /** {@code bytes} with the class name {@code from} replaced by {@code to} (same length). */
  private static byte[] rename(byte[] bytes, String from, String to) {
    assertEquals(from.length(), to.length());
    byte[] f = from.getBytes(StandardCharsets.UTF_8);
    byte[] t = to.getBytes(StandardCharsets.UTF_8);
    byte[] out = bytes.clone();
    int replaced = 0;
    for (int i = 0; i + f.length <= out.length; i++) {
      if (Arrays.equals(out, i, i + f.length, f, 0, f.length)) {
        System.arraycopy(t, 0, out, i, t.length);
        replaced++;
      }
    }
    assertEquals(1, replaced, "the stream names " + from + " once");
    return out;
  }

  private static <T> T withContextLoader(ClassLoader loader, Supplier<T> action) {
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return action.get();
    } finally {
      thread.setContextClassLoader(before);
    }
  }

  private static ObjectInputFilter.FilterInfo info(Class<?> type, long arrayLength, long depth) {
    return new ObjectInputFilter.FilterInfo() {
      @Override
      public Class<?> serialClass() {
        return type;
      }

      @Override
      public long arrayLength() {
        return arrayLength;
      }

      @Override
      public long depth() {
        return depth;
      }

      @Override
      public long references() {
        return 1;
      }

      @Override
      public long streamBytes() {
        return 10;
      }
    };
  }
}
