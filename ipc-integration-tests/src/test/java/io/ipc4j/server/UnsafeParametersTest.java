package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.client.IpcBadArgumentsException;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcNoSuchMethodException;
import io.ipc4j.client.RemoteMethod;
import io.ipc4j.client.RemoteObject;
import io.ipc4j.core.ErrorReason;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A method whose parameters would let a client make a {@code Class} (Jackson loads and
 * initialises the class it names), a thread, a process or a piece of reflection is not exposed,
 * and the server says so at WARNING; such a value deeper in a parameter is refused when it comes.
 */
class UnsafeParametersTest {
  static final AtomicBoolean TRIPWIRE_INITIALIZED = new AtomicBoolean();

  /** Tells whether the server ever initialised it. */
  static final class Tripwire {
    static {
      TRIPWIRE_INITIALIZED.set(true);
    }
  }

  /** A value holding a class. */
  public record Holder(Class<?> type) {}

  /** Methods that take what no client may choose, next to ones that are fine. */
  public static class Registry implements Loader {
    @Override
    public String name(String className) {
      return className;
    }

    @Override
    public String load(Class<?> type) {
      return type.getName();
    }

    public int count(List<Class<?>> types) {
      return types.size();
    }

    public void start(Thread thread) {
      thread.start();
    }

    public <L extends ClassLoader> void use(L loader) {}

    public void invoke(Method method) {}

    public void handles(Map<String, MethodHandle> handles) {}

    public void processes(ProcessBuilder[] builders) {}

    public String holder(Holder holder) {
      return String.valueOf(holder.type());
    }
  }

  /** An interface with one method that takes a class. */
  public interface Loader {
    String name(String className);

    String load(Class<?> type);
  }

  /** Records what the server logs while it is open. */
  private static final class Warnings extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger(IpcServer.class.getName());
    private final List<String> messages = new ArrayList<>();
    private final boolean usedParents = logger.getUseParentHandlers();

    Warnings() {
      logger.addHandler(this);
      logger.setUseParentHandlers(false);
    }

    @Override
    public synchronized void publish(LogRecord record) {
      if (record.getLevel() == Level.WARNING) {
        messages.add(record.getMessage());
      }
    }

    synchronized List<String> messages() {
      return List.copyOf(messages);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      logger.removeHandler(this);
      logger.setUseParentHandlers(usedParents);
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void methodsThatTakeClassesThreadsOrReflectionAreNotExposed(Transport transport)
      throws Exception {
    try (Warnings warnings = new Warnings();
        Transport.Served served = transport.start(IpcServer.builder()
            .expose("registry", new Registry()));
        IpcClient client = served.client().build()) {
      RemoteObject registry = client.getExposedObject("registry");

      assertEquals(List.of("holder", "name"), names(registry));
      assertEquals(new TreeSet<>(List.of(
          "not exposing registry.count(List<Class<?>> types): parameter 'types' (List<Class<?>>)"
              + " would let a client choose a java.lang.Class",
          "not exposing registry.handles(Map<String, MethodHandle> handles): parameter 'handles'"
              + " (Map<String, MethodHandle>) would let a client choose a"
              + " java.lang.invoke.MethodHandle",
          "not exposing registry.invoke(Method method): parameter 'method' (Method) would let a"
              + " client choose a java.lang.reflect.Method",
          "not exposing registry.load(Class<?> type): parameter 'type' (Class<?>) would let a"
              + " client choose a java.lang.Class",
          "not exposing registry.processes(ProcessBuilder[] builders): parameter 'builders'"
              + " (ProcessBuilder[]) would let a client choose a java.lang.ProcessBuilder",
          "not exposing registry.start(Thread thread): parameter 'thread' (Thread) would let a"
              + " client choose a java.lang.Thread",
          "not exposing registry.use(L loader): parameter 'loader' (L) would let a client choose"
              + " a java.lang.ClassLoader")), new TreeSet<>(warnings.messages()));
      IpcNoSuchMethodException e = assertThrows(IpcNoSuchMethodException.class,
          () -> registry.call("load", Tripwire.class.getName()));
      assertEquals("no method 'load' on object 'registry' (" + served.call("registry", "load")
          + ")", e.getMessage());
      assertEquals(Tripwire.class.getName(), registry.call("name", Tripwire.class.getName()));
      assertFalse(TRIPWIRE_INITIALIZED.get(), "the server initialised a class a client named");
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anInterfaceMethodThatTakesAClassIsNotExposedEither(Transport transport) throws Exception {
    try (Warnings warnings = new Warnings();
        Transport.Served served = transport.start(IpcServer.builder()
            .expose("loader", new Registry(), Loader.class));
        IpcClient client = served.client().build()) {
      assertEquals(List.of("name"), names(client.getExposedObject("loader")));
      assertEquals(List.of("not exposing loader.load(Class<?> type): parameter 'type' (Class<?>)"
          + " would let a client choose a java.lang.Class"), warnings.messages());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aClassInsideAParameterIsRefusedWhenItComes(Transport transport) throws Exception {
    try (Transport.Served served = transport.start(IpcServer.builder()
            .expose("registry", new Registry()));
        IpcClient client = served.client().build()) {
      RemoteObject registry = client.getExposedObject("registry");

      IpcBadArgumentsException e = assertThrows(IpcBadArgumentsException.class,
          () -> registry.call("holder", Map.of("type", Tripwire.class.getName())));
      assertEquals(ErrorReason.BAD_ARGUMENTS, e.getReason());
      assertTrue(e.getMessage().endsWith(" of registry.holder(UnsafeParametersTest$Holder holder):"
          + " no java.lang.Class is read from a peer (at type) ("
          + served.call("registry", "holder") + ")"), e.getMessage());
      assertEquals("null", registry.call("holder", Map.of()));
      assertFalse(TRIPWIRE_INITIALIZED.get(), "the server initialised a class a client named");
    }
  }

  private static List<String> names(RemoteObject object) {
    return new ArrayList<>(new TreeSet<>(object.methods().stream().map(RemoteMethod::name)
        .toList()));
  }
}
