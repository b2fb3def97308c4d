package io.ipc4j.server.hardening;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The object the hostile input suite attacks: parameters of every kind a request could abuse
 * (Object, Map, a bean, a polymorphic interface, big numbers, strings), an overload, and the
 * methods that must never be reachable (static, package-private, protected, Object's, close).
 */
public final class HostileTarget implements AutoCloseable, Cloneable {
  /** The exposed methods, by name: everything else is NO_SUCH_METHOD. */
  static final List<String> METHODS = List.of("add", "echo", "echoObject", "echoMap", "echoBean",
      "shape", "decimal", "integer", "length", "pick");

  final AtomicInteger closed = new AtomicInteger();
  final AtomicInteger cloned = new AtomicInteger();

  /** A plain bean; a type hint in it is an unknown property. */
  public static final class Bean {
    public String name;
    public int value;
    public Object payload;
  }

  /** Asks for class-name type ids: ipc4j's mapper must refuse every one, by name. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
  public interface Shape {}

  /** The one Shape there is; even naming it is refused. */
  public static final class Circle implements Shape {
    public double radius;
  }

  public int add(int a, int b) {
    return a + b;
  }

  public String echo(String s) {
    return s;
  }

  public Object echoObject(Object o) {
    return o;
  }

  public Map<String, Object> echoMap(Map<String, Object> m) {
    return m;
  }

  public Bean echoBean(Bean b) {
    return b;
  }

  public String shape(Shape s) {
    return String.valueOf(s);
  }

  public BigDecimal decimal(BigDecimal d) {
    return d;
  }

  public String integer(BigInteger i) {
    return i.toString();
  }

  public int length(String s) {
    return s.length();
  }

  public String pick(String s) {
    return "string " + s;
  }

  public String pick(int i) {
    return "int " + i;
  }

  /** Static: never callable. */
  public static String helper() {
    return "static";
  }

  /** Package-private: never callable. */
  String packagePrivate() {
    return "hidden";
  }

  /** Protected: never callable. */
  protected String guarded() {
    return "hidden";
  }

  /** Object's clone, made public: never callable. */
  @Override
  public HostileTarget clone() {
    cloned.incrementAndGet();
    return new HostileTarget();
  }

  /** Called once by stop(), never by a request. */
  @Override
  public void close() {
    closed.incrementAndGet();
  }
}
