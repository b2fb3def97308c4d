package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcNoSuchMethodException;
import io.ipc4j.client.RemoteMethod;
import io.ipc4j.client.RemoteObject;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The exposure rules hold in every form: an object exposed whole and the same object exposed
 * through an interface that extends {@code AutoCloseable} (or {@code Closeable}), for a public
 * class and for a class clients cannot see. One table says, for each kind of method, whether a
 * client may call it in each form.
 */
class ExposureFormsTest {

  /** The interface an object is exposed through: generic, closeable, with default and static. */
  public interface Api<T> extends AutoCloseable {
    T echo(T value);

    <R> R identity(R value);

    default String greeting() {
      return "hello";
    }

    static String helper() {
      return "static";
    }

    @Override
    void close();
  }

  /** The same through {@link Closeable}, whose close() throws IOException. */
  public interface Stream extends Closeable {
    String next();
  }

  /**
   * A public class: {@code echo(String)} gets a bridge {@code echo(Object)} from the compiler,
   * and a lambda in {@link #later()} a synthetic method.
   */
  public static class Open implements Api<String>, Stream {
    final AtomicInteger closed = new AtomicInteger();

    @Override
    public String echo(String value) {
      return value;
    }

    @Override
    public <R> R identity(R value) {
      return value;
    }

    @Override
    public String next() {
      return "next";
    }

    /** Public, but declared by no interface. */
    public String extra() {
      Supplier<String> later = () -> "extra";
      return later.get();
    }

    public static String util() {
      return "static";
    }

    @Override
    public void close() {
      closed.incrementAndGet();
    }

    @Override
    public String toString() {
      return "Open";
    }

    String packagePrivate() {
      return "hidden";
    }
  }

  /**
   * A class clients cannot see: what its public supertypes declare is called through them, what
   * only it declares is not callable.
   */
  static final class Hidden extends Open {
    @Override
    public String extra() {
      return "hidden extra";
    }

    public String secret() {
      return "secret";
    }
  }

  /** How an object is exposed, and the name it is exposed under. */
  private enum Form {
    WHOLE_PUBLIC("whole-public"),
    WHOLE_HIDDEN("whole-hidden"),
    API_PUBLIC("api-public"),
    API_HIDDEN("api-hidden"),
    CLOSEABLE("closeable");

    final String objectName;

    Form(String objectName) {
      this.objectName = objectName;
    }
  }

  /**
   * A method a client tries: its name and arguments, and the answer in each form (null: the
   * client gets NO_SUCH_METHOD).
   */
  private record Row(String kind, String method, List<Object> args, Object wholePublic,
      Object wholeHidden, Object api, Object closeable) {

    Object expected(Form form) {
      return switch (form) {
        case WHOLE_PUBLIC -> wholePublic;
        case WHOLE_HIDDEN -> wholeHidden;
        case API_PUBLIC, API_HIDDEN -> api;
        case CLOSEABLE -> closeable;
      };
    }
  }

  private static final List<Row> TABLE = List.of(
      new Row("abstract method", "echo", List.of("x"), "x", "x", "x", null),
      new Row("generic method", "identity", List.of(7), 7L, 7L, 7L, null),
      new Row("default method", "greeting", List.of(), "hello", "hello", "hello", null),
      new Row("public method of no interface", "extra", List.of(), "extra", "hidden extra", null,
          null),
      new Row("method only a non-public class declares", "secret", List.of(), null, null, null,
          null),
      new Row("method of another interface", "next", List.of(), "next", "next", null, "next"),
      new Row("close()", "close", List.of(), null, null, null, null),
      new Row("static method of the class", "util", List.of(), null, null, null, null),
      new Row("static method of the interface", "helper", List.of(), null, null, null, null),
      new Row("package-private method", "packagePrivate", List.of(), null, null, null, null),
      new Row("Object.toString()", "toString", List.of(), null, null, null, null),
      new Row("Object.hashCode()", "hashCode", List.of(), null, null, null, null),
      new Row("Object.equals(Object)", "equals", List.of("x"), null, null, null, null),
      new Row("Object.getClass()", "getClass", List.of(), null, null, null, null),
      new Row("Object.wait()", "wait", List.of(), null, null, null, null),
      new Row("Object.notifyAll()", "notifyAll", List.of(), null, null, null, null),
      new Row("a lambda's synthetic method", "lambda$extra$0", List.of(), null, null, null,
          null));

  @ParameterizedTest
  @EnumSource(Transport.class)
  void eachKindOfMethodIsCallableExactlyWhereTheRulesSay(Transport transport) throws Exception {
    Open open = new Open();
    Hidden hidden = new Hidden();
    try (Transport.Served served = transport.start(IpcServer.builder()
            .expose(Form.WHOLE_PUBLIC.objectName, open)
            .expose(Form.WHOLE_HIDDEN.objectName, hidden)
            .expose(Form.API_PUBLIC.objectName, open, Api.class)
            .expose(Form.API_HIDDEN.objectName, hidden, Api.class)
            .expose(Form.CLOSEABLE.objectName, open, Stream.class));
        IpcClient client = served.client().build()) {
      List<Executable> checks = new ArrayList<>();
      for (Form form : Form.values()) {
        RemoteObject object = client.getExposedObject(form.objectName);
        for (Row row : TABLE) {
          checks.add(() -> check(object, form, row));
        }
      }
      assertAll(checks);
      assertEquals(0, open.closed.get() + hidden.closed.get(), "a client closed an object");
    }
    assertEquals(1, open.closed.get(), "stop() closes the object once");
    assertEquals(1, hidden.closed.get(), "stop() closes the object once");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void describeListsTheBridgedMethodOnceWithItsDeclaredTypes(Transport transport)
      throws Exception {
    try (Transport.Served served = transport.start(IpcServer.builder()
            .expose(Form.WHOLE_PUBLIC.objectName, new Open())
            .expose(Form.API_PUBLIC.objectName, new Open(), Api.class));
        IpcClient client = served.client().build()) {
      assertEquals(List.of("java.lang.String echo(java.lang.String value)"),
          signatures(client.getExposedObject(Form.WHOLE_PUBLIC.objectName), "echo"));
      assertEquals(List.of("T echo(T value)"),
          signatures(client.getExposedObject(Form.API_PUBLIC.objectName), "echo"));
    }
  }

  private static void check(RemoteObject object, Form form, Row row) {
    Object expected = row.expected(form);
    String what = row.kind() + " '" + row.method() + "' exposed " + form;
    if (expected != null) {
      assertEquals(expected, object.call(row.method(), row.args().toArray()), what);
      return;
    }
    IpcNoSuchMethodException e = assertThrows(IpcNoSuchMethodException.class,
        () -> object.call(row.method(), row.args().toArray()), what);
    assertTrue(e.getMessage().startsWith(
        "no method '" + row.method() + "' on object '" + form.objectName + "'"),
        what + ": " + e.getMessage());
  }

  private static List<String> signatures(RemoteObject object, String name) {
    return object.methods().stream().filter(m -> m.name().equals(name))
        .map(RemoteMethod::toString).toList();
  }
}
