package io.ipc4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertLinesMatch;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.core.Remote;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.Event;

/**
 * References and callbacks in-process: a test passes its own object as a callback and holds the
 * server's objects by reference; one it leaves alive fails it, named.
 */
class IpcExtensionReferencesTest {

  /** A callback the server calls. */
  @Remote
  public interface Greeter {
    String greet(String name);
  }

  /** An object that stays on the server. */
  @Remote
  public interface Tally extends AutoCloseable {
    int add(int n);

    @Override
    void close();
  }

  /** What the tests call. */
  public interface Office {
    String welcome(Greeter greeter, String name);

    Tally tally();
  }

  /** The server's side. */
  public static final class OfficeImpl implements Office {
    static final AtomicInteger closed = new AtomicInteger();

    @Override
    public String welcome(Greeter greeter, String name) {
      return greeter.greet(name) + "!";
    }

    @Override
    public Tally tally() {
      AtomicInteger sum = new AtomicInteger();
      return new Tally() {
        @Override
        public int add(int n) {
          return sum.addAndGet(n);
        }

        @Override
        public void close() {
          closed.incrementAndGet();
        }
      };
    }
  }

  @RegisterExtension
  final IpcExtension ipc = IpcExtension.inProcess().expose("office", new OfficeImpl(),
      Office.class);

  @Test
  void callbacksAndReferencesWorkInProcess() {
    Office office = ipc.proxy(Office.class);
    assertEquals("hello, Ada!", office.welcome(name -> "hello, " + name, "Ada"));
    try (Tally tally = office.tally()) {
      assertEquals(2, tally.add(2));
      assertEquals(5, tally.add(3));
    }
  }

  @Fixture
  static class ForgottenReferenceFixture {
    @RegisterExtension
    final IpcExtension ipc = IpcExtension.inProcess().expose("office", new OfficeImpl(),
        Office.class).shutdownTimeout(Duration.ofMillis(300));

    @Test
    void keepsATallyAndForgetsIt() {
      assertEquals(1, ipc.proxy(Office.class).tally().add(1));
    }
  }

  @Test
  void aReferenceLeftAliveFailsTheTestNamingIt() {
    int closedBefore = OfficeImpl.closed.get();
    List<Event> failed = Fixtures.run(ForgottenReferenceFixture.class).testEvents().failed()
        .list();
    assertEquals(1, failed.size(), () -> "failures: " + failed);
    Throwable leak = failed.get(0).getPayload(TestExecutionResult.class).orElseThrow()
        .getThrowable().orElseThrow();
    assertLinesMatch(List.of(
        "IpcExtension left resources running after keepsATallyAndForgetsIt\\(\\) \\(in-process "
            + "ipc-testkit-[0-9a-f-]{36}\\):",
        "  reference Tally \\(returned to .*\\) is still alive: release it"
            + " \\(RemoteReference.release\\(\\), or close\\(\\) for an AutoCloseable interface\\)"),
        List.of(leak.getMessage().split("\n")), leak.getMessage());
    // The extension closed its client all the same: the server released and closed the tally.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (OfficeImpl.closed.get() == closedBefore && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertTrue(OfficeImpl.closed.get() > closedBefore);
  }
}
