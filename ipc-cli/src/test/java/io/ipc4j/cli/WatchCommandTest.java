package io.ipc4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ipc4j.datastore.DataStore;
import io.ipc4j.datastore.DataStoreClient;
import io.ipc4j.datastore.FileDataStore;
import io.ipc4j.server.IpcServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ipc watch} run in-process against a real data store server, while another client
 * changes the store.
 */
class WatchCommandTest {
  private static final long TIMEOUT_SECONDS = 20;

  @TempDir Path dir;
  private IpcServer server;
  private String port;
  private DataStoreClient writer;
  private final ExecutorService thread = Executors.newSingleThreadExecutor();

  @BeforeEach
  void start() throws Exception {
    server = IpcServer.builder().expose("kodi-IPC", new FileDataStore(dir), DataStore.class)
        .port(0).start();
    port = String.valueOf(server.port());
    writer = DataStoreClient.builder().port(server.port()).maxAttempts(1).build();
  }

  @AfterEach
  void stop() {
    writer.close();
    server.stop();
    thread.shutdownNow();
  }

  /** {@code ipc watch ARGS...} running on a thread of its own, as in a terminal. */
  private final class Watching {
    final List<Thread> hooks = new CopyOnWriteArrayList<>();
    final StringWriter out = new StringWriter();
    final Lines err = new Lines();
    final Future<Integer> exit;

    Watching(String... args) throws InterruptedException {
      String[] all = new String[args.length + 1];
      all[0] = "watch";
      System.arraycopy(args, 0, all, 1, args.length);
      var cl = Cli.commandLine(hooks::add, new PrintWriter(out, true),
          new PrintWriter(err, true));
      exit = thread.submit(() -> cl.execute(all));
      String line = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
      while (line == null && !exit.isDone() && System.nanoTime() - deadline < 0) {
        line = err.lines.poll(50, TimeUnit.MILLISECONDS);
      }
      if (line == null) {
        fail("watch did not say it watches; " + (exit.isDone() ? "it ended" : "still running")
            + "\n--- stdout\n" + out + "--- stderr\n" + err.text());
      }
      firstLine = line;
    }

    final String firstLine;

    int exitCode() throws Exception {
      return exit.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    String out() {
      return Cli.normalize(out.toString());
    }

    /** Presses Ctrl-C: runs the hook watch registered. */
    void ctrlC() throws InterruptedException {
      assertEquals(1, hooks.size(), hooks::toString);
      Thread hook = hooks.get(0);
      hook.start();
      hook.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
      assertTrue(!hook.isAlive(), "the shutdown hook is still running");
    }
  }

  /** A writer that hands over each line as soon as it is written. */
  private static final class Lines extends Writer {
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder all = new StringBuilder();
    private final StringBuilder current = new StringBuilder();

    @Override
    public synchronized void write(char[] buf, int off, int len) {
      for (int i = off; i < off + len; i++) {
        char c = buf[i];
        all.append(c);
        if (c == '\n') {
          lines.add(current.toString().replace("\r", ""));
          current.setLength(0);
        } else {
          current.append(c);
        }
      }
    }

    synchronized String text() {
      return Cli.normalize(all.toString());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  private static String time(long ts) {
    return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
        .withZone(ZoneOffset.UTC).format(Instant.ofEpochMilli(ts));
  }

  @Test
  void printsEachChangeOfTheValueAsItHappensAndExitsAfterCount() throws Exception {
    Watching watch = new Watching("greeting", "cli", "--count", "3", "--port", port);
    assertEquals("ipc: watching 'greeting' of author 'cli' on kodi-IPC at localhost:" + port
        + " - Ctrl-C to stop", watch.firstLine);
    writer.set("greeting", "not this one", "someone", false);
    writer.set("other", "nor this one", "cli", false);
    long hello = writer.set("greeting", "hello", "cli", false);
    long map = writer.set("greeting", Map.of("words", List.of("hi", 2)), "cli", true);
    writer.delete("greeting", "cli");
    assertEquals(0, watch.exitCode(), () -> watch.out() + watch.err.text());
    String[] lines = watch.out().split("\n", -1);
    assertEquals(4, lines.length, watch::out);
    assertEquals(time(hello) + " greeting cli \"hello\"", lines[0]);
    assertEquals(time(map) + " greeting cli {\"words\":[\"hi\",2]}", lines[1]);
    assertTrue(lines[2].matches("[-0-9T:.]+Z greeting cli deleted"), lines[2]);
    assertEquals("", lines[3]);
  }

  @Test
  void withoutAnAuthorItWatchesEveryAuthorAndJsonPrintsOneObjectPerLine() throws Exception {
    Watching watch = new Watching("greeting", "--json", "--count", "2", "--port", port);
    assertEquals("ipc: watching 'greeting' of every author on kodi-IPC at localhost:" + port
        + " - Ctrl-C to stop", watch.firstLine);
    long a = writer.set("greeting", "hi", "a", false);
    long b = writer.set("greeting", 42, "b", false);
    assertEquals(0, watch.exitCode(), () -> watch.out() + watch.err.text());
    assertEquals("{\"name\":\"greeting\",\"author\":\"a\",\"value\":\"hi\",\"ts\":" + a
        + ",\"deleted\":false}\n"
        + "{\"name\":\"greeting\",\"author\":\"b\",\"value\":42,\"ts\":" + b
        + ",\"deleted\":false}\n", watch.out());
  }

  @Test
  void ctrlCClosesTheWatchAndExitsWithZero() throws Exception {
    Watching watch = new Watching("greeting", "cli", "--port", port);
    long ts = writer.set("greeting", "hello", "cli", false);
    watch.ctrlC();
    assertEquals(0, watch.exitCode());
    assertTrue(watch.out().isEmpty() || watch.out().equals(time(ts) + " greeting cli \"hello\"\n"),
        watch::out);
    assertEquals(List.of(), List.copyOf(watch.err.lines));
  }

  @Test
  void theWatchEndingWhenTheServerStopsExitsWithThree() throws Exception {
    Watching watch = new Watching("greeting", "cli", "--port", port);
    server.stop();
    assertEquals(3, watch.exitCode(), watch.err::text);
    String line = watch.err.lines.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    String start = "ipc: the watch of 'greeting' of author 'cli' on kodi-IPC at localhost:" + port
        + " ended: ";
    assertTrue(line != null && line.startsWith(start) && line.length() > start.length(),
        watch.err::text);
    assertEquals("", watch.out());
  }

  @Test
  void anUnreachableServerExitsWithThree() {
    server.stop();
    Cli.Result r = Cli.run(hook -> { }, "watch", "greeting", "cli", "--port", port);
    assertEquals(new Cli.Result(3, "",
        "ipc: cannot reach kodi-IPC at localhost:" + port + ": Connection refused\n"), r);
  }

  @Test
  void badArgumentsAreUsageErrors() {
    assertEquals(new Cli.Result(2, "", "ipc: --count must be at least 1, was 0\n"
        + "Try 'ipc watch --help' for more.\n"),
        Cli.run(hook -> { }, "watch", "greeting", "cli", "--count", "0", "--port", port));
    assertEquals(new Cli.Result(2, "", "ipc: Missing required parameter: 'NAME'\n"
        + "Try 'ipc watch --help' for more.\n"), Cli.run(hook -> { }, "watch"));
    assertEquals(new Cli.Result(2, "", "ipc: unexpected argument 'extra'\n"
        + "Try 'ipc watch --help' for more.\n"),
        Cli.run(hook -> { }, "watch", "greeting", "cli", "extra"));
  }
}
