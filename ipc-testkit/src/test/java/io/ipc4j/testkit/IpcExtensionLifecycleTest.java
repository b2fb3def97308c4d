package io.ipc4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcUnavailableException;
import io.ipc4j.server.IpcServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** One server per class or per test, torn down after it; faults cleared between tests. */
class IpcExtensionLifecycleTest {

  @Fixture
  static class PerClassFixture {
    static final List<IpcServer> servers = new CopyOnWriteArrayList<>();

    @RegisterExtension
    static IpcExtension ipc = IpcExtension.inProcess()
        .expose("calc", new CountingCalc(), Calc.class);

    @Test
    void first() {
      servers.add(ipc.server());
      assertEquals(3, ipc.proxy(Calc.class).add(1, 2));
    }

    @Test
    void second() {
      servers.add(ipc.server());
      assertEquals(5, ipc.proxy(Calc.class).add(2, 3));
    }

    @Nested
    class Inner {
      @Test
      void nestedTestsShareTheServer() {
        servers.add(ipc.server());
        assertEquals(7, ipc.proxy(Calc.class).add(3, 4));
      }
    }
  }

  @Test
  void staticFieldServesTheWholeClassThenStops() {
    PerClassFixture.servers.clear();
    Fixtures.run(PerClassFixture.class).allEvents().assertStatistics(s -> s.failed(0));
    List<IpcServer> servers = PerClassFixture.servers;
    assertEquals(3, servers.size());
    assertSame(servers.get(0), servers.get(1));
    assertSame(servers.get(0), servers.get(2));
    assertFalse(servers.get(0).isRunning());
  }

  @Fixture
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class PerTestFixture {
    static final List<IpcServer> servers = new CopyOnWriteArrayList<>();

    @RegisterExtension
    final IpcExtension ipc = IpcExtension.inProcess()
        .expose("calc", new CountingCalc(), Calc.class);

    @Test
    @Order(1)
    void first() {
      servers.add(ipc.server());
      assertEquals(3, ipc.proxy(Calc.class).add(1, 2));
    }

    @Test
    @Order(2)
    void second() {
      servers.add(ipc.server());
      assertFalse(servers.get(0).isRunning(), "the first test's server stopped after it");
      assertEquals(5, ipc.proxy(Calc.class).add(2, 3));
    }
  }

  @Test
  void instanceFieldServesEachTestThenStops() {
    PerTestFixture.servers.clear();
    Fixtures.run(PerTestFixture.class).testEvents()
        .assertStatistics(s -> s.started(2).succeeded(2));
    List<IpcServer> servers = PerTestFixture.servers;
    assertEquals(2, servers.size());
    assertNotSame(servers.get(0), servers.get(1));
    assertFalse(servers.get(1).isRunning());
  }

  @Fixture
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class FaultsResetFixture {
    @RegisterExtension
    static IpcExtension ipc = IpcExtension.inProcess()
        .expose("calc", new CountingCalc(), Calc.class);

    @Test
    @Order(1)
    void leavesFaultsBehind() {
      ipc.faults().next(5).unavailable();
      assertThrows(IpcUnavailableException.class, () -> ipc.proxy(Calc.class).add(1, 2));
    }

    @Test
    @Order(2)
    void startsWithoutThem() {
      assertEquals(3, ipc.proxy(Calc.class).add(1, 2));
      assertEquals(0, ipc.faults().injected());
    }
  }

  @Test
  void faultsAreClearedAfterEachTest() {
    Fixtures.run(FaultsResetFixture.class).testEvents()
        .assertStatistics(s -> s.started(2).succeeded(2));
  }

  @Fixture
  static class UnclosedClientFixture {
    static IpcClient made;
    static IpcExtension used;

    @RegisterExtension
    final IpcExtension ipc = IpcExtension.inProcess()
        .expose("calc", new CountingCalc(), Calc.class);

    @Test
    void makesAClientAndLeavesItOpen() {
      used = ipc;
      made = ipc.newClient();
      assertEquals(3, made.getExposedObject(Calc.class).add(1, 2));
    }
  }

  @Test
  void clientsTheTestLeftOpenAreClosedForIt() {
    EngineExecutionResults results = Fixtures.run(UnclosedClientFixture.class);
    results.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    assertThrows(IpcUnavailableException.class,
        () -> UnclosedClientFixture.made.getExposedObject(Calc.class).add(1, 2));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> UnclosedClientFixture.used.client());
    assertTrue(e.getMessage().startsWith("IpcExtension is not running"), e.getMessage());
  }

  @Fixture
  static class NothingExposedFixture {
    @RegisterExtension
    static IpcExtension ipc = IpcExtension.inProcess();

    @Test
    void neverRuns() {
      fail("ran without a server");
    }
  }

  @Test
  void nothingExposedFailsTheClassBeforeItsTests() {
    EngineExecutionResults results = Fixtures.run(NothingExposedFixture.class);
    results.testEvents().assertStatistics(s -> s.started(0));
    Throwable failure = results.containerEvents().failed().list().get(0)
        .getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
    assertEquals("nothing exposed: call expose(...) on the builder", failure.getMessage());
  }

  @Fixture
  static class StopsTheServerFixture {
    @RegisterExtension
    final IpcExtension ipc = IpcExtension.inProcess()
        .expose("calc", new CountingCalc(), Calc.class);

    @Test
    void stopsItMidTest() {
      Calc calc = ipc.proxy(Calc.class);
      assertEquals(3, calc.add(1, 2));
      ipc.server().stop();
      assertThrows(IpcUnavailableException.class, () -> calc.add(1, 2));
    }
  }

  @Test
  void aServerTheTestStoppedItselfIsNoLeak() {
    Fixtures.run(StopsTheServerFixture.class).testEvents()
        .assertStatistics(s -> s.started(1).succeeded(1));
  }
}
