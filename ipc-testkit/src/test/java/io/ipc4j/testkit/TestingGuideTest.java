package io.ipc4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ipc4j.client.IpcDeadlineExceededException;
import io.ipc4j.client.IpcRemoteException;
import io.ipc4j.client.IpcUnavailableException;
import java.time.Duration;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The examples of docs/testing.md, as they are written there. */
class TestingGuideTest {

  // --- docs/testing.md: one server for the class ---
  @RegisterExtension
  static IpcExtension ipc = IpcExtension.inProcess()
      .expose("calc", new CountingCalc(), Calc.class);

  @Test
  void adds() {
    Calc calc = ipc.proxy(Calc.class);
    assertEquals(3, calc.add(1, 2));
  }

  @Test
  void callsByMethodName() {
    assertEquals(3, ipc.client().getExposedObject("calc").call(Integer.class, "add", 1, 2));
  }
  // --- end ---

  // --- docs/testing.md: faults ---
  /** The code under test: retries a call while the server is unavailable. */
  static int withRetries(int attempts, IntSupplier call) {
    for (int i = 1; ; i++) {
      try {
        return call.getAsInt();
      } catch (IpcUnavailableException e) {
        if (i == attempts) {
          throw e;
        }
      }
    }
  }

  @Test
  void retriesWhileTheServerIsUnavailable() {
    ipc.faults().next(2).unavailable();

    assertEquals(3, withRetries(3, () -> ipc.proxy(Calc.class).add(1, 2)));
    assertEquals(2, ipc.faults().injected());
  }

  @Test
  void givesUpAfterTheLastAttempt() {
    ipc.faults().always().unavailable();

    assertThrows(IpcUnavailableException.class,
        () -> withRetries(3, () -> ipc.proxy(Calc.class).add(1, 2)));
    assertEquals(3, ipc.faults().injected());
  }

  @Test
  void timesOut() {
    ipc.faults().next().deadlineExceeded();

    assertThrows(IpcDeadlineExceededException.class, () -> ipc.proxy(Calc.class).add(1, 2));
  }

  @Test
  void slowButAnswered() {
    ipc.faults().next().delay(Duration.ofMillis(200));

    assertEquals(3, ipc.proxy(Calc.class).add(1, 2)); // after 200 ms
  }

  @Test
  void remoteMethodThrows() {
    ipc.faults().next().forMethod("divide").throwing(new CalcException("injected"));
    CalcException declared = assertThrows(CalcException.class,
        () -> ipc.proxy(Calc.class).divide(6, 3));
    assertEquals("injected", declared.getMessage());

    ipc.faults().next().throwing(new IllegalStateException("boom"));
    IpcRemoteException undeclared = assertThrows(IpcRemoteException.class,
        () -> ipc.proxy(Calc.class).add(1, 2));
    assertEquals("java.lang.IllegalStateException", undeclared.getRemoteClassName());
    assertEquals("boom", undeclared.getRemoteMessage());
  }
  // --- end ---

  @Nested
  class PerTest {
    // --- docs/testing.md: one server per test ---
    @RegisterExtension
    final IpcExtension fresh = IpcExtension.inProcess()
        .expose("calc", new CountingCalc(), Calc.class)
        .deadline(Duration.ofSeconds(2))
        .configureServer(server -> server.maxThreads(4));

    @Test
    void startsFromScratch() {
      assertEquals(5, fresh.proxy(Calc.class).add(2, 3));
    }
    // --- end ---
  }
}
