package io.ipc4j.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code ipc serve} on a thread of its own, as a terminal would: reads what it prints and
 * presses "Ctrl-C" by running the shutdown hook it registered.
 */
final class Serving implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final Pattern PORT = Pattern.compile(" on 127\\.0\\.0\\.1:([0-9]+) ");

  private final List<Thread> hooks = new CopyOnWriteArrayList<>();
  private final Lines out = new Lines();
  private final StringWriter err = new StringWriter();
  private final ExecutorService thread = Executors.newSingleThreadExecutor();
  private final Future<Integer> exit;
  private final String firstLine;
  private boolean stopped;

  /** Starts {@code ipc serve args} and waits until it says it is serving. */
  Serving(String... args) throws InterruptedException {
    var cl = Cli.commandLine(hooks::add, new PrintWriter(out, true), new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "serve";
    System.arraycopy(args, 0, all, 1, args.length);
    exit = thread.submit(() -> cl.execute(all));
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    String line = null;
    while (line == null && !exit.isDone() && System.nanoTime() - deadline < 0) {
      line = out.lines.poll(50, TimeUnit.MILLISECONDS);
    }
    if (line == null) {
      thread.shutdownNow();
      fail("serve did not say it serves; " + (exit.isDone() ? "it ended" : "still running")
          + "\n--- stderr\n" + err);
    }
    firstLine = line;
  }

  /** The line serve printed once serving. */
  String line() {
    return firstLine;
  }

  /** The port from that line, as a string for {@code --port}. */
  String port() {
    Matcher m = PORT.matcher(firstLine);
    assertTrue(m.find(), firstLine);
    return m.group(1);
  }

  /** Presses Ctrl-C: runs the shutdown hook, then answers serve's exit code. */
  int stop() throws Exception {
    stopped = true;
    assertTrue(hooks.size() == 1, "hooks registered: " + hooks);
    Thread hook = hooks.get(0);
    hook.start();
    hook.join(TIMEOUT.toMillis());
    assertTrue(!hook.isAlive(), "the shutdown hook is still running");
    return exit.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Everything serve printed on stdout but the first line, once stopped. */
  String laterOut() {
    return Cli.normalize(out.rest());
  }

  String err() {
    return Cli.normalize(err.toString());
  }

  /** Stops serve if the test did not, so that nothing stays running. */
  @Override
  public void close() {
    try {
      if (!stopped) {
        stop();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while stopping serve", e);
    } catch (Exception e) {
      throw new AssertionError("stopping serve failed", e);
    } finally {
      thread.shutdownNow();
    }
  }

  /** A writer that hands over the first line as soon as it is written. */
  private static final class Lines extends Writer {
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder current = new StringBuilder();
    private final StringBuilder rest = new StringBuilder();
    private boolean first = true;

    @Override
    public synchronized void write(char[] buf, int off, int len) {
      for (int i = off; i < off + len; i++) {
        char c = buf[i];
        if (!first) {
          rest.append(c);
        } else if (c == '\n') {
          lines.add(current.toString().replace("\r", ""));
          first = false;
        } else {
          current.append(c);
        }
      }
    }

    synchronized String rest() {
      return rest.toString();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
