package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.ipc4j.client.IpcClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.Socket;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link IpcServer#testSerializable(Object)}: script.module.ipc's {@code test_pickle}. */
class TestSerializableTest {

  public record Point(int x, int y) {}

  /** Data typed only as Object: its integers arrive as Longs. */
  public record Event(String name, Map<String, Object> data) {}

  /** A record of records and collections. */
  public record Route(String name, List<Point> stops, Set<Color> colors) {}

  /** Two shapes of one interface: a receiver cannot tell them apart. */
  public sealed interface Shape permits Circle, Square {}

  public record Circle(double radius) implements Shape {}

  public record Square(double side) implements Shape {}

  public enum Color { RED, GREEN }

  /** An enum whose constant has a body (its own class). */
  public enum Op {
    PLUS {
      @Override
      int apply(int a, int b) {
        return a + b;
      }
    };

    abstract int apply(int a, int b);
  }

  /** A bean: getters, setters, a no-argument constructor, no {@code equals}. */
  public static final class Person {
    private String name;
    private int age;
    private List<String> tags = new ArrayList<>();

    public Person() {}

    Person(String name, int age, List<String> tags) {
      this.name = name;
      this.age = age;
      this.tags = tags;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public int getAge() {
      return age;
    }

    public void setAge(int age) {
      this.age = age;
    }

    public List<String> getTags() {
      return tags;
    }

    public void setTags(List<String> tags) {
      this.tags = tags;
    }
  }

  /** A bean that can point to another, or to itself. */
  public static final class Node {
    private String name;
    private Node next;

    public Node() {}

    Node(String name) {
      this.name = name;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public Node getNext() {
      return next;
    }

    public void setNext(Node next) {
      this.next = next;
    }
  }

  /** A getter with no setter: the value is written but cannot be read back. */
  public static final class ReadOnly {
    public String getValue() {
      return "fixed by the sender";
    }
  }

  /** A getter that never returns: writing it overflows the stack. */
  public static final class Endless {
    public String getValue() {
      return getValue();
    }
  }

  /** No readable state at all. */
  public static final class Nothing {}

  /** Jackson sees no properties and cannot make one back. */
  public static final class Opaque {
    private final Thread thread = Thread.currentThread();

    @Override
    public String toString() {
      return String.valueOf(thread);
    }
  }

  /** A getter that throws: the value cannot be written. */
  public static final class Broken {
    public String getValue() {
      throw new IllegalStateException("no");
    }
  }

  @Test
  void plainValuesRecordsAndCollectionsTravel() {
    assertTrue(IpcServer.testSerializable("text"));
    assertTrue(IpcServer.testSerializable(42));
    assertTrue(IpcServer.testSerializable(Long.MAX_VALUE));
    assertTrue(IpcServer.testSerializable(new BigDecimal("1.10")));
    assertTrue(IpcServer.testSerializable(new Point(1, 2)));
    assertTrue(IpcServer.testSerializable(Instant.parse("2026-11-25T10:15:30Z")));
    assertTrue(IpcServer.testSerializable(new byte[] {1, 2, 3}));
    assertTrue(IpcServer.testSerializable(Map.of("a", List.of("b", "c"))));
    assertTrue(IpcServer.testSerializable(null));
  }

  @Test
  void valuesThatDoNotComeBackEqualDoNotTravel() {
    assertFalse(IpcServer.testSerializable(new Opaque()));
    assertFalse(IpcServer.testSerializable(new Broken()));
  }

  static Stream<Arguments> travels() {
    Map<String, Integer> hashMap = new HashMap<>();
    hashMap.put("a", 1);
    hashMap.put("none", null);
    Map<String, Object> mixed = new LinkedHashMap<>();
    mixed.put("n", 1);
    mixed.put("big", new BigInteger("123456789012345678901234567890"));
    mixed.put("list", List.of("x", 2));
    mixed.put("map", Map.of("k", true));
    mixed.put("none", null);
    EnumMap<Color, Integer> enumMap = new EnumMap<>(Color.class);
    enumMap.put(Color.GREEN, 2);
    return Stream.of(
        arguments(named("null", null)),
        arguments(named("\"text\"", "text")),
        arguments(named("\"\"", "")),
        arguments(named("'x'", 'x')),
        arguments(named("true", true)),
        arguments(named("(byte) 1", (byte) 1)),
        arguments(named("(short) 2", (short) 2)),
        arguments(named("42 (Integer)", 42)),
        arguments(named("Integer.MIN_VALUE", Integer.MIN_VALUE)),
        arguments(named("Long.MAX_VALUE", Long.MAX_VALUE)),
        arguments(named("Long.MIN_VALUE", Long.MIN_VALUE)),
        arguments(named("42L", 42L)),
        arguments(named("0.1f", 0.1f)),
        arguments(named("2.5d", 2.5d)),
        arguments(named("Double.MAX_VALUE", Double.MAX_VALUE)),
        arguments(named("Double.NaN", Double.NaN)),
        arguments(named("BigInteger 2^100", BigInteger.TWO.pow(100))),
        arguments(named("BigDecimal 1.10", new BigDecimal("1.10"))),
        arguments(named("BigDecimal 1E+3", new BigDecimal("1E+3"))),
        arguments(named("BigDecimal 30 digits",
            new BigDecimal("-123456789012345.678901234567890"))),
        arguments(named("UUID", UUID.fromString("123e4567-e89b-12d3-a456-426614174000"))),
        arguments(named("Map.of(a=1)", Map.of("a", 1))),
        arguments(named("Map.of()", Map.of())),
        arguments(named("Map.of(1=one, 2=two)", Map.of(1, "one", 2, "two"))),
        arguments(named("HashMap {a=1, none=null}", hashMap)),
        arguments(named("TreeMap", new TreeMap<>(Map.of("b", 2L, "a", 1L)))),
        arguments(named("ConcurrentHashMap", new ConcurrentHashMap<>(Map.of("a", 1.5)))),
        arguments(named("Collections.unmodifiableMap",
            Collections.unmodifiableMap(new HashMap<>(Map.of("a", "b"))))),
        arguments(named("EnumMap {GREEN=2}", enumMap)),
        arguments(named("Map.of(LocalDate=1)", Map.of(LocalDate.of(2026, 1, 2), 1))),
        arguments(named("LinkedHashMap of mixed values", mixed)),
        arguments(named("List.of(1, 2)", List.of(1, 2))),
        arguments(named("List.of()", List.of())),
        arguments(named("ArrayList [1, 2]", new ArrayList<>(List.of(1, 2)))),
        arguments(named("LinkedList [a, null]", new LinkedList<>(Arrays.asList("a", null)))),
        arguments(named("Arrays.asList(1L, 2L)", Arrays.asList(1L, 2L))),
        arguments(named("List.of(1, \"a\", 2L) (mixed)", List.of(1, "a", 2L))),
        arguments(named("List.of(1L, 2^100) (mixed)", List.of(1L, BigInteger.TWO.pow(100)))),
        arguments(named("ArrayDeque", new ArrayDeque<>(List.of("a", "b")))),
        arguments(named("Set.of(a, b)", Set.of("a", "b"))),
        arguments(named("HashSet [1, 2]", new HashSet<>(List.of(1, 2)))),
        arguments(named("TreeSet", new TreeSet<>(List.of("b", "a")))),
        arguments(named("LinkedHashSet", new LinkedHashSet<>(List.of(3, 1, 2)))),
        arguments(named("EnumSet.of(RED)", EnumSet.of(Color.RED))),
        arguments(named("Set.of(1, \"a\") (mixed)", Set.of(1, "a"))),
        arguments(named("record Point(1, 2)", new Point(1, 2))),
        arguments(named("record Event(data Map<String, Object>)",
            new Event("e", Map.of("n", 1, "s", "x")))),
        arguments(named("record Route(List<Point>, Set<Color>)",
            new Route("r", List.of(new Point(1, 2)), Set.of(Color.GREEN)))),
        arguments(named("bean Person", new Person("Ann", 41, List.of("a", "b")))),
        arguments(named("bean Node -> Node", linked())),
        arguments(named("enum Color.RED", Color.RED)),
        arguments(named("enum constant with a body, Op.PLUS", Op.PLUS)),
        arguments(named("DayOfWeek.MONDAY", DayOfWeek.MONDAY)),
        arguments(named("int[]", new int[] {1, 2, 3})),
        arguments(named("byte[]", new byte[] {1, 2, 3})),
        arguments(named("long[]", new long[] {Long.MAX_VALUE})),
        arguments(named("double[]", new double[] {0.5, -1})),
        arguments(named("boolean[]", new boolean[] {true, false})),
        arguments(named("char[]", new char[] {'a', 'b'})),
        arguments(named("int[][]", new int[][] {{1}, {2, 3}})),
        arguments(named("String[]", new String[] {"a", null})),
        arguments(named("Integer[]", new Integer[] {1, 2})),
        arguments(named("Point[]", new Point[] {new Point(1, 2)})),
        arguments(named("Object[] {1, \"a\"}", new Object[] {1, "a"})),
        arguments(named("Instant", Instant.parse("2026-11-25T10:15:30.123456789Z"))),
        arguments(named("LocalDate", LocalDate.of(2026, 11, 25))),
        arguments(named("LocalTime", LocalTime.of(10, 15, 30))),
        arguments(named("LocalDateTime", LocalDateTime.of(2026, 11, 25, 10, 15))),
        arguments(named("OffsetDateTime", OffsetDateTime.of(
            2026, 11, 25, 10, 15, 0, 0, ZoneOffset.ofHours(2)))),
        arguments(named("OffsetTime", OffsetTime.of(10, 15, 0, 0, ZoneOffset.UTC))),
        arguments(named("ZonedDateTime at an offset", ZonedDateTime.of(
            2026, 11, 25, 10, 15, 0, 0, ZoneOffset.ofHours(1)))),
        arguments(named("Duration", Duration.ofMillis(1500))),
        arguments(named("Period", Period.of(1, 2, 3))),
        arguments(named("Year", Year.of(2026))),
        arguments(named("YearMonth", YearMonth.of(2026, 11))),
        arguments(named("MonthDay", MonthDay.of(11, 25))),
        arguments(named("ZoneId Europe/Paris", ZoneId.of("Europe/Paris"))),
        arguments(named("Optional.of(\"x\")", Optional.of("x"))),
        arguments(named("Optional.empty()", Optional.empty())),
        arguments(named("Optional.of(List.of(1))", Optional.of(List.of(1)))),
        arguments(named("Map<String, List<Point>>",
            Map.of("a", List.of(new Point(1, 2), new Point(3, 4)), "b", List.of()))),
        arguments(named("List<Map<String, Set<Integer>>>",
            List.of(Map.of("a", Set.of(1, 2)), Map.of("b", Set.of())))),
        arguments(named("Map<String, Person[]>",
            Map.of("p", new Person[] {new Person("Bo", 7, List.of())}))),
        arguments(named("List<int[]>", List.of(new int[] {1}, new int[] {2, 3}))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void travels(Object value) {
    assertTrue(IpcServer.testSerializable(value));
  }

  static Stream<Arguments> doesNotTravel() {
    List<Object> selfList = new ArrayList<>();
    selfList.add(selfList);
    Map<String, Object> selfMap = new HashMap<>();
    selfMap.put("me", selfMap);
    Node self = new Node("self");
    self.setNext(self);
    Node a = new Node("a");
    Node b = new Node("b");
    a.setNext(b);
    b.setNext(a);
    List<Object> deep = new ArrayList<>();
    List<Object> inner = deep;
    for (int i = 0; i < 100; i++) {
      List<Object> next = new ArrayList<>();
      inner.add(next);
      inner = next;
    }
    return Stream.of(
        arguments(named("a list that contains itself", selfList)),
        arguments(named("a map that contains itself", selfMap)),
        arguments(named("a bean that points to itself", self)),
        arguments(named("two beans that point to each other", a)),
        arguments(named("lists nested 100 deep", deep)),
        arguments(named("a string of 4 MiB + 1 chars", "x".repeat(4 * 1024 * 1024 + 1))),
        arguments(named("Thread.currentThread()", Thread.currentThread())),
        arguments(named("an unstarted Thread", new Thread(() -> { }))),
        arguments(named("an InputStream", new ByteArrayInputStream(new byte[] {1}))),
        arguments(named("an OutputStream", new ByteArrayOutputStream())),
        arguments(named("a Reader", new StringReader("x"))),
        arguments(named("a Writer", new StringWriter())),
        arguments(named("Stream.of(1, 2)", Stream.of(1, 2))),
        arguments(named("IntStream.range(0, 3)", IntStream.range(0, 3))),
        arguments(named("an Iterator", List.of(1).iterator())),
        arguments(named("a lambda", (Supplier<String>) () -> "x")),
        arguments(named("a method reference", (Supplier<String>) String::new)),
        arguments(named("an unconnected Socket", new Socket())),
        arguments(named("a list holding a Stream", List.of(Stream.of(1)))),
        arguments(named("new Object()", new Object())),
        arguments(named("an anonymous class", new Object() { })),
        arguments(named("a bean with no state", new Nothing())),
        arguments(named("only private fields", new Opaque())),
        arguments(named("a getter that throws", new Broken())),
        arguments(named("a getter with no setter", new ReadOnly())),
        arguments(named("a getter that overflows the stack", new Endless())),
        arguments(named("BigDecimal among mixed values (arrives as a Double)",
            Map.of("price", new BigDecimal("1.10"), "name", "x"))),
        arguments(named("keys of mixed classes (arrive as strings)", Map.of(1, "a", "b", "c"))),
        arguments(named("record keys (written as their toString)", Map.of(new Point(1, 2), "p"))),
        arguments(named("a record among mixed values (arrives as a map)",
            Map.of("n", 1, "p", new Point(1, 2)))),
        arguments(named("two records of one interface (arrive as maps)",
            List.of(new Circle(1), new Square(2)))),
        arguments(named("a byte[] among mixed values (arrives as base64 text)",
            List.of(new byte[] {1}, "a"))),
        arguments(named("ZonedDateTime in Europe/Paris (arrives with an offset only)",
            ZonedDateTime.of(2026, 11, 25, 10, 15, 0, 0, ZoneId.of("Europe/Paris")))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void doesNotTravel(Object value) {
    assertFalse(IpcServer.testSerializable(value));
  }

  /** One method per shape; each returns what it received. */
  public interface Echo {
    Map<String, Integer> map(Map<String, Integer> value);

    List<Integer> list(List<Integer> value);

    Set<String> set(Set<String> value);

    List<Object> mixed(List<Object> value);

    Point point(Point value);

    Event event(Event value);

    Person person(Person value);

    Op op(Op value);

    BigDecimal decimal(BigDecimal value);

    BigInteger big(BigInteger value);

    Long boxedLong(Long value);

    Instant instant(Instant value);

    Duration duration(Duration value);

    int[] ints(int[] value);

    Point[] points(Point[] value);

    Optional<String> optional(Optional<String> value);

    Map<String, List<Point>> nested(Map<String, List<Point>> value);
  }

  /** Keeps what each method received, to compare with what was sent. */
  public static final class EchoImpl implements Echo {
    final Map<String, Object> received = new ConcurrentHashMap<>();

    private <T> T keep(String method, T value) {
      received.put(method, value);
      return value;
    }

    @Override
    public Map<String, Integer> map(Map<String, Integer> value) {
      return keep("map", value);
    }

    @Override
    public List<Integer> list(List<Integer> value) {
      return keep("list", value);
    }

    @Override
    public Set<String> set(Set<String> value) {
      return keep("set", value);
    }

    @Override
    public List<Object> mixed(List<Object> value) {
      return keep("mixed", value);
    }

    @Override
    public Point point(Point value) {
      return keep("point", value);
    }

    @Override
    public Event event(Event value) {
      return keep("event", value);
    }

    @Override
    public Person person(Person value) {
      return keep("person", value);
    }

    @Override
    public Op op(Op value) {
      return keep("op", value);
    }

    @Override
    public BigDecimal decimal(BigDecimal value) {
      return keep("decimal", value);
    }

    @Override
    public BigInteger big(BigInteger value) {
      return keep("big", value);
    }

    @Override
    public Long boxedLong(Long value) {
      return keep("boxedLong", value);
    }

    @Override
    public Instant instant(Instant value) {
      return keep("instant", value);
    }

    @Override
    public Duration duration(Duration value) {
      return keep("duration", value);
    }

    @Override
    public int[] ints(int[] value) {
      return keep("ints", value);
    }

    @Override
    public Point[] points(Point[] value) {
      return keep("points", value);
    }

    @Override
    public Optional<String> optional(Optional<String> value) {
      return keep("optional", value);
    }

    @Override
    public Map<String, List<Point>> nested(Map<String, List<Point>> value) {
      return keep("nested", value);
    }
  }

  /**
   * Values testSerializable calls sendable arrive equal, at the server as an argument and back at
   * the client as a result, in the shapes its Javadoc names.
   */
  @ParameterizedTest
  @EnumSource(Transport.class)
  void whatTravelsArrivesEqualBothWays(Transport transport) throws Exception {
    EchoImpl impl = new EchoImpl();
    try (Transport.Served served =
            transport.start(IpcServer.builder().expose("echo", impl, Echo.class));
        IpcClient client = served.client().build()) {
      Echo echo = client.getExposedObject("echo", Echo.class);

      Map<String, Integer> map = Map.of("a", 1, "b", 2);
      assertInstanceOf(LinkedHashMap.class, sent(impl, "map", map, echo.map(map)));
      List<Integer> list = List.of(1, 2);
      assertInstanceOf(ArrayList.class, sent(impl, "list", list, echo.list(list)));
      Set<String> set = Set.of("a", "b");
      assertInstanceOf(HashSet.class, sent(impl, "set", set, echo.set(set)));
      sent(impl, "point", new Point(1, 2), echo.point(new Point(1, 2)));
      sent(impl, "op", Op.PLUS, echo.op(Op.PLUS));
      BigDecimal decimal = new BigDecimal("1.10");
      assertEquals(2, ((BigDecimal) sent(impl, "decimal", decimal, echo.decimal(decimal))).scale());
      BigInteger big = BigInteger.TWO.pow(100);
      sent(impl, "big", big, echo.big(big));
      sent(impl, "boxedLong", Long.MAX_VALUE, echo.boxedLong(Long.MAX_VALUE));
      Instant instant = Instant.parse("2026-11-25T10:15:30.123456789Z");
      sent(impl, "instant", instant, echo.instant(instant));
      sent(impl, "duration", Duration.ofMillis(1500), echo.duration(Duration.ofMillis(1500)));
      sent(impl, "optional", Optional.of("x"), echo.optional(Optional.of("x")));
      sent(impl, "optional", Optional.empty(), echo.optional(Optional.empty()));
      Map<String, List<Point>> nested = Map.of("a", List.of(new Point(1, 2)), "b", List.of());
      sent(impl, "nested", nested, echo.nested(nested));

      int[] ints = {1, 2, 3};
      assertTrue(IpcServer.testSerializable(ints));
      assertArrayEquals(ints, echo.ints(ints));
      assertArrayEquals(ints, (int[]) impl.received.get("ints"));
      Point[] points = {new Point(1, 2), new Point(3, 4)};
      assertTrue(IpcServer.testSerializable(points));
      assertArrayEquals(points, echo.points(points));
      assertArrayEquals(points, (Point[]) impl.received.get("points"));

      // A bean without equals: equal property by property.
      Person person = new Person("Ann", 41, List.of("a", "b"));
      assertTrue(IpcServer.testSerializable(person));
      for (Person p : List.of(echo.person(person), (Person) impl.received.get("person"))) {
        assertEquals(List.of("Ann", 41, List.of("a", "b")),
            List.of(p.getName(), p.getAge(), p.getTags()));
      }

      // Where only Object is declared, integers arrive as Longs of the same value.
      List<Object> mixed = List.of(1, "a", 2L);
      assertTrue(IpcServer.testSerializable(mixed));
      assertEquals(List.of(1L, "a", 2L), echo.mixed(mixed));
      assertEquals(List.of(1L, "a", 2L), impl.received.get("mixed"));
      Event event = new Event("e", Map.of("n", 1, "s", "x"));
      assertTrue(IpcServer.testSerializable(event));
      Event arrived = new Event("e", Map.of("n", 1L, "s", "x"));
      assertEquals(arrived, echo.event(event));
      assertEquals(arrived, impl.received.get("event"));
    }
  }

  /**
   * Asserts that testSerializable calls {@code value} sendable and that it arrived equal at the
   * server and back at the client; answers what the server received.
   */
  private static Object sent(EchoImpl impl, String method, Object value, Object back) {
    assertTrue(IpcServer.testSerializable(value), method);
    assertEquals(value, back, method);
    Object received = impl.received.get(method);
    assertEquals(value, received, method);
    return received;
  }

  /** One shared serializer answers many threads at once, each rightly. */
  @Test
  void answersFromManyThreadsAtOnce() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> answers = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        int n = i;
        answers.add(threads.submit(() -> n % 2 == 0
            ? IpcServer.testSerializable(Map.of("p" + n, List.of(new Point(n, n))))
            : !IpcServer.testSerializable(Map.of("price", new BigDecimal(n + ".10"), "n", n))));
      }
      for (Future<Boolean> answer : answers) {
        assertTrue(answer.get(30, TimeUnit.SECONDS));
      }
    } finally {
      threads.shutdownNow();
    }
  }

  private static Node linked() {
    Node head = new Node("head");
    head.setNext(new Node("tail"));
    return head;
  }
}
