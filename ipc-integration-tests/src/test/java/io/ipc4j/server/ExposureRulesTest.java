package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcNoSuchMethodException;
import io.ipc4j.client.RemoteMethod;
import io.ipc4j.client.RemoteObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Exactly the exposed methods are callable; everything else is NO_SUCH_METHOD. */
class ExposureRulesTest {

  /** What {@link Service} shares with clients when exposed through it. */
  public interface Greeting {
    String greet(String who);

    default String greetAll() {
      return greet("all");
    }
  }

  /** A public class with methods of every kind. */
  public static class Service implements Greeting, AutoCloseable {
    int closed;

    @Override
    public String greet(String who) {
      return "hello " + who;
    }

    public int answer() {
      return 42;
    }

    public static String helper() {
      return "static";
    }

    @Override
    public void close() {
      closed++;
    }

    @Override
    public String toString() {
      return "Service";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Service;
    }

    @Override
    public int hashCode() {
      return 1;
    }

    @Override
    public Service clone() {
      return new Service();
    }

    String packagePrivate() {
      return "hidden";
    }

    protected String guarded() {
      return "hidden";
    }
  }

  /** A subclass: inherited public methods count, its own too. */
  public static final class Special extends Service {
    public String special() {
      return "special";
    }
  }

  /** A class clients cannot see: only what its public interface declares is reachable. */
  static final class Hidden implements Greeting {
    @Override
    public String greet(String who) {
      return "psst " + who;
    }

    public String secret() {
      return "secret";
    }
  }

  private static final List<String> OBJECT_METHODS = List.of("getClass", "hashCode", "equals",
      "toString", "notify", "notifyAll", "wait", "clone", "finalize");

  @ParameterizedTest
  @EnumSource(Transport.class)
  void publicInstanceMethodsButNothingFromObject(Transport transport) throws Exception {
    try (Transport.Served served = transport.start(IpcServer.builder()
            .expose("service", new Service()).expose("special", new Special()));
        IpcClient client = served.client().build()) {
      RemoteObject service = client.getExposedObject("service");
      assertEquals(List.of("answer", "greet", "greetAll"), names(service));
      assertEquals(List.of("answer", "greet", "greetAll", "special"),
          names(client.getExposedObject("special")));
      assertEquals("hello you", service.call("greet", "you"));
      assertEquals("hello all", service.call("greetAll"));
      assertEquals(42L, service.call("answer"));

      for (String name : OBJECT_METHODS) {
        assertNoSuchMethod(served, service, name);
      }
      assertNoSuchMethod(served, service, "equals", "x");
      assertNoSuchMethod(served, service, "wait", 10);
      for (String name : List.of("helper", "close", "packagePrivate", "guarded")) {
        assertNoSuchMethod(served, service, name);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void onlyTheInterfaceMethodsWhenExposedThroughOne(Transport transport) throws Exception {
    try (Transport.Served served = transport.start(IpcServer.builder()
            .expose("greeting", new Service(), Greeting.class));
        IpcClient client = served.client().build()) {
      RemoteObject greeting = client.getExposedObject("greeting");
      assertEquals(List.of("greet", "greetAll"), names(greeting));
      assertEquals("hello me", greeting.call("greet", "me"));
      assertEquals("hello all", greeting.call("greetAll"));
      assertNoSuchMethod(served, greeting, "answer");
      assertNoSuchMethod(served, greeting, "toString");
      assertNoSuchMethod(served, greeting, "close");
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aHiddenClassIsReachableOnlyThroughItsPublicInterfaces(Transport transport)
      throws Exception {
    List<String> jdkList = Collections.unmodifiableList(new ArrayList<>(List.of("a", "b")));
    try (Transport.Served served = transport.start(IpcServer.builder()
            .expose("hidden", new Hidden()).expose("list", jdkList));
        IpcClient client = served.client().build()) {
      RemoteObject hidden = client.getExposedObject("hidden");
      assertEquals(List.of("greet", "greetAll"), names(hidden));
      assertEquals("psst you", hidden.call("greet", "you"));
      assertEquals("psst all", hidden.call("greetAll"));
      assertNoSuchMethod(served, hidden, "secret");

      // java.util.Collections$UnmodifiableRandomAccessList: a package-private JDK class, called
      // through the public List interface from another module.
      RemoteObject list = client.getExposedObject("list");
      assertEquals(2L, list.call("size"));
      assertEquals("b", list.call("get", 1));
      assertEquals(true, list.call("contains", "a"));
      assertEquals(1L, list.call("indexOf", "b"));
    }
  }

  private static List<String> names(RemoteObject object) {
    return new ArrayList<>(new TreeSet<>(object.methods().stream().map(RemoteMethod::name)
        .toList()));
  }

  private static void assertNoSuchMethod(Transport.Served served, RemoteObject object,
      String method, Object... args) {
    IpcNoSuchMethodException e = assertThrows(IpcNoSuchMethodException.class,
        () -> object.call(method, args), method);
    assertEquals("no method '" + method + "' on object '" + object.name() + "' ("
        + served.call(object.name(), method) + ")", e.getMessage());
  }
}
