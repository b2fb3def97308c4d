package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcRemoteException;
import io.ipc4j.core.NonBlocking;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code @NonBlocking} methods run on the transport thread that read the call, everything else on
 * the server's call pool: the thread each method reports shows where it ran.
 */
class NonBlockingTest {
  private static final String POOL = "ipc-server-probe-";

  /** Each method answers the name of the thread it ran on. */
  public interface Probe {
    @NonBlocking
    String marked();

    String unmarked();

    /** Marked by the implementation only. */
    String markedByImplementation();

    @NonBlocking
    String withArgument(String text);

    @NonBlocking
    String fails();
  }

  /** The server side. */
  public static final class ProbeImpl implements Probe {
    @Override
    public String marked() {
      return Thread.currentThread().getName();
    }

    @Override
    public String unmarked() {
      return Thread.currentThread().getName();
    }

    @NonBlocking
    @Override
    public String markedByImplementation() {
      return Thread.currentThread().getName();
    }

    @Override
    public String withArgument(String text) {
      return Thread.currentThread().getName();
    }

    @Override
    public String fails() {
      throw new IllegalStateException("failed on " + Thread.currentThread().getName());
    }
  }

  private static Transport.Served serve(Transport transport, Concurrency concurrency)
      throws Exception {
    return transport.start(IpcServer.builder().name("probe")
        .expose("probe", new ProbeImpl(), Probe.class).concurrency(concurrency));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void markedMethodsRunInlineAndTheOthersOnThePool(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport, Concurrency.CONCURRENT);
        IpcClient client = served.client().name("probe").build()) {
      Probe probe = client.getExposedObject("probe", Probe.class);

      assertFalse(probe.marked().startsWith(POOL), probe.marked());
      assertFalse(probe.markedByImplementation().startsWith(POOL));
      assertFalse(probe.withArgument("x".repeat(1000)).startsWith(POOL));
      assertTrue(probe.unmarked().startsWith(POOL), probe.unmarked());
      // Reading 20 KB of arguments is work for the pool, marked or not.
      assertTrue(probe.withArgument("x".repeat(20_000)).startsWith(POOL));
      // A failure inline is answered like any other, and the server goes on.
      IpcRemoteException e = assertThrows(IpcRemoteException.class, probe::fails);
      assertTrue(e.getMessage().contains("IllegalStateException: failed on "), e.getMessage());
      assertFalse(e.getMessage().contains(POOL), e.getMessage());
      assertFalse(probe.marked().startsWith(POOL));
      assertTrue(client.serverAvailable());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aSerializedObjectRunsEveryMethodOnThePool(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport, Concurrency.SERIALIZED);
        IpcClient client = served.client().name("probe").build()) {
      Probe probe = client.getExposedObject("probe", Probe.class);

      assertTrue(probe.marked().startsWith(POOL), probe.marked());
      assertTrue(probe.markedByImplementation().startsWith(POOL));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theDynamicClientRunsInlineToo(Transport transport) throws Exception {
    try (Transport.Served served = serve(transport, Concurrency.CONCURRENT);
        IpcClient client = served.client().name("probe").build()) {
      assertFalse(client.getExposedObject("probe").call(String.class, "marked")
          .startsWith(POOL));
      assertTrue(client.getExposedObject("probe").call(String.class, "unmarked")
          .startsWith(POOL));
    }
  }
}
