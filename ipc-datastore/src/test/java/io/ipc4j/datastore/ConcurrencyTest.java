package io.ipc4j.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Eight threads change one store at once; nothing is lost, in memory or on disk. */
class ConcurrencyTest {
  private static final int THREADS = 8;
  private static final int WRITES = 40;

  @TempDir Path dir;

  @Test
  void concurrentChangesAreAllKeptAndSaved() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try (FileDataStore store = new FileDataStore(dir)) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        String author = "t" + t;
        done.add(pool.submit(() -> {
          start.await();
          long lastTs = 0;
          for (int i = 0; i < WRITES; i++) {
            long ts = store.set("k" + (i % 5), i, author, i % 2 == 0);
            assertTrue(ts > lastTs, "timestamps of one thread increase");
            lastTs = ts;
            assertEquals((long) i, store.get("k" + (i % 5), author).value());
            store.set("shared", i, "all", true);
            if (i % 10 == 0) {
              store.saveData(author, author + ".json");
            }
          }
          store.delete("k0", author);
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(40, TimeUnit.SECONDS);
      }
      for (int t = 0; t < THREADS; t++) {
        assertEquals(Map.of("t" + t, List.of("k1", "k2", "k3", "k4")), store.getDataList("t" + t));
        assertEquals((long) WRITES - 1, store.get("k4", "t" + t).value());
      }
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
    try (FileDataStore reopened = new FileDataStore(dir)) {
      // the last write, i = WRITES - 1 (odd: not persistent), went to k4; k3 got WRITES - 2
      for (int t = 0; t < THREADS; t++) {
        assertEquals(Map.of("t" + t, List.of("k1", "k3")), reopened.getDataList("t" + t));
        assertEquals((long) WRITES - 2, reopened.get("k3", "t" + t).value());
      }
      assertEquals((long) WRITES - 1, reopened.get("shared", "all").value());
    }
  }
}
