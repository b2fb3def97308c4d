package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link IpcServer#testSerializable(Object)}: script.module.ipc's {@code test_pickle}. */
class TestSerializableTest {

  public record Point(int x, int y) {}

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
}
