package io.ipc4j.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change writes about its own entry, not the whole store: 200 small persistent sets next to a
 * 3.9 MB value write a few MB (rewriting the store each time wrote 780 MB). Counted by the
 * kernel, so on Linux only.
 */
class WriteVolumeTest {
  private static final Path PROC_IO = Path.of("/proc/self/io");
  private static final long LIMIT = 20L * 1024 * 1024;

  @TempDir Path dir;

  /** The bytes this process has handed to write calls so far. */
  private static long written() throws IOException {
    for (String line : Files.readAllLines(PROC_IO)) {
      if (line.startsWith("wchar:")) {
        return Long.parseLong(line.substring("wchar:".length()).trim());
      }
    }
    throw new IllegalStateException("no wchar in " + PROC_IO);
  }

  @Test
  void smallSetsBesideALargeValueWriteLittle() throws IOException {
    assumeTrue(Files.isReadable(PROC_IO), "needs " + PROC_IO);
    try (FileDataStore store = new FileDataStore(dir)) {
      store.set("big", "x".repeat(3_900_000), "a", true);
      long before = written();
      for (int i = 0; i < 200; i++) {
        store.set("k" + i, i, "a", true);
      }
      long bytes = written() - before;
      System.out.println("200 small persistent sets beside a 3.9 MB value wrote " + bytes
          + " bytes");
      assertTrue(bytes < LIMIT, bytes + " bytes written, more than " + LIMIT);
      assertEquals(201, store.getDataList("a").get("a").size());
    }
  }
}
