package io.ipc4j.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real process writing persistent entries is killed (SIGKILL) while it saves; a new store on the
 * same directory loads the last complete state, including every change the process had reported
 * done.
 */
class CrashTest {
  /** Rounds run until a kill has left the database's log behind (about every one does). */
  private static final int MAX_ROUNDS = 6;
  private static final int LINES_BEFORE_KILL = 25;
  private static final int MAX_WRITES = 100_000;

  @TempDir Path dir;

  /**
   * The child process: two threads rewrite large entries back to back, so that a save is nearly
   * always in progress; the main thread sets a counter and prints it once it is saved.
   */
  public static final class Writer {
    private Writer() {}

    /** Arguments: the data directory. */
    public static void main(String[] args) {
      FileDataStore store = new FileDataStore(Path.of(args[0]));
      String payload = "x".repeat(20_000);
      for (int t = 0; t < 2; t++) {
        String prefix = "blob" + t + "-";
        Thread blobs = new Thread(() -> {
          for (int i = 0; i < MAX_WRITES; i++) {
            store.set(prefix + (i % 5), Map.of("i", i, "payload", payload), "crash", true);
          }
        });
        blobs.setDaemon(true);
        blobs.start();
      }
      for (int i = 0; i < MAX_WRITES; i++) {
        store.set("counter", i, "crash", true);
        System.out.println(i);
        System.out.flush();
      }
    }
  }

  /**
   * The child process of the second test: sets a new persistent entry after another, printing
   * each once {@code set} returned, while a thread rewrites a large entry.
   */
  public static final class Burst {
    private Burst() {}

    /** Arguments: the data directory. */
    public static void main(String[] args) {
      FileDataStore store = new FileDataStore(Path.of(args[0]));
      String payload = "y".repeat(200_000);
      Thread blob = new Thread(() -> {
        for (int i = 0; i < MAX_WRITES; i++) {
          store.set("blob", Map.of("i", i, "payload", payload), "burst", true);
        }
      });
      blob.setDaemon(true);
      blob.start();
      for (int i = 0; i < MAX_WRITES; i++) {
        store.set("n" + i, i, "burst", true);
        System.out.println(i);
        System.out.flush();
      }
    }
  }

  @Test
  void everyAcknowledgedSetSurvivesAKillDuringABurst() {
    assertTimeoutPreemptively(Duration.ofSeconds(50), () -> {
      for (int round = 0; round < 2; round++) {
        long lastReported = runAndKill(Burst.class, 60);
        try (FileDataStore store = new FileDataStore(dir)) {
          for (long i = 0; i <= lastReported; i++) {
            assertEquals(i, store.get("n" + i, "burst").value(), "n" + i);
          }
          Map<?, ?> blob = (Map<?, ?>) store.get("blob", "burst").value();
          assertEquals(200_000, ((String) blob.get("payload")).length());
        }
      }
    });
  }

  @Test
  void killedWhileSavingLeavesTheLastCompleteState() {
    assertTimeoutPreemptively(Duration.ofSeconds(50), () -> {
      boolean hitASave = false;
      for (int round = 0; round < MAX_ROUNDS && !(hitASave && round >= 2); round++) {
        long lastReported = runAndKill(Writer.class, LINES_BEFORE_KILL);
        try (Stream<Path> files = Files.list(dir)) {
          hitASave |= files.anyMatch(p -> p.toString().endsWith(FileDataStore.DB_FILE + "-wal"));
        }
        try (FileDataStore store = new FileDataStore(dir)) {
          long counter = (Long) store.get("counter", "crash").value();
          for (String name : store.getDataList("crash").get("crash")) {
            if (name.startsWith("blob")) {
              Map<?, ?> blob = (Map<?, ?>) store.get(name, "crash").value();
              assertEquals(20_000, ((String) blob.get("payload")).length(), name);
            }
          }
          assertTrue(counter >= lastReported,
              "counter " + counter + " older than the reported " + lastReported);
        }
        try (Stream<Path> files = Files.list(dir)) {
          assertEquals(List.of(FileDataStore.DB_FILE),
              files.map(p -> p.getFileName().toString()).toList(),
              "leftovers removed, nothing moved aside as corrupt");
        }
      }
    });
  }

  /** Runs {@code main} until it has reported {@code lines} saves, kills it, answers the last. */
  private long runAndKill(Class<?> main, int lines) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-cp",
        System.getProperty("java.class.path"), main.getName(), dir.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line = null;
      String previous = null;
      for (int i = 0; i < lines; i++) {
        previous = line;
        line = out.readLine();
        assertNotNull(line, "the writer stopped early after " + previous);
      }
      child.destroyForcibly();
      assertTrue(child.waitFor(10, TimeUnit.SECONDS), "the writer did not die");
      return Long.parseLong(line);
    } finally {
      child.destroyForcibly();
    }
  }
}
