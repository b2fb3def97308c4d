package io.ipc4j.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ipc4j.core.Oneway;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A client parses an interface's methods once and shares the table among all its proxies of that
 * interface; an interface that cannot be proxied is refused every time, never cached.
 */
class ProxyTableTest {

  /** A remote interface. */
  public interface Calc {
    int add(int a, int b);

    default int twice(int a) {
      return add(a, a);
    }
  }

  /** An interface no proxy can serve: a oneway method must return void. */
  public interface Broken {
    @Oneway
    int fire();
  }

  @Test
  void theMethodTableIsParsedOncePerClientAndInterface() {
    try (IpcClient client = IpcClient.builder().inProcess("nowhere").build();
        IpcClient other = IpcClient.builder().inProcess("nowhere").build()) {
      assertNull(client.proxyTable(Calc.class));
      Calc first = client.getExposedObject("calc", Calc.class);
      Map<?, ?> table = client.proxyTable(Calc.class);
      assertEquals(1, table.size(), table.toString()); // add; the default method runs locally
      Calc second = client.getExposedObject("other", Calc.class);
      assertSame(table, client.proxyTable(Calc.class));
      assertEquals("IpcProxy[" + Calc.class.getName() + " -> other at in-process:nowhere]",
          second.toString());
      other.getExposedObject(Calc.class);
      assertSame(table, client.proxyTable(Calc.class), "another client's proxy changed it");
      assertEquals(first, first);
    }
  }

  @Test
  void anInterfaceThatCannotBeProxiedIsRefusedEachTime() {
    try (IpcClient client = IpcClient.builder().inProcess("nowhere").build()) {
      for (int i = 0; i < 2; i++) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> client.getExposedObject(Broken.class));
        assertEquals("@Oneway methods must return void, not int\n    for method "
            + Broken.class.getSimpleName() + ".fire", e.getMessage());
        assertNull(client.proxyTable(Broken.class));
      }
    }
  }
}
