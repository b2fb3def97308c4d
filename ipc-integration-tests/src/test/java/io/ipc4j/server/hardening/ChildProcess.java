package io.ipc4j.server.hardening;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link ChildServer} running in its own JVM on the test's class path, so that a test can kill
 * the server process as an outage would. Closing it ends the process.
 */
final class ChildProcess implements AutoCloseable {
  private static final int MAX_OUTPUT_CHARS = 20_000;

  private final Process process;
  private final int port;
  private final long readyNanos;
  private final StringBuffer output;

  private ChildProcess(Process process, int port, long readyNanos, StringBuffer output) {
    this.process = process;
    this.port = port;
    this.readyNanos = readyNanos;
    this.output = output;
  }

  /**
   * Starts a child server on {@code port} (0 for any) and waits until it has printed READY.
   *
   * @throws IOException when it cannot start, exits, or is not ready within a minute; the message
   *     carries what it printed
   */
  static ChildProcess start(int port) throws IOException, InterruptedException {
    String classPath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1",
            "-cp", classPath, ChildServer.class.getName(), Integer.toString(port)))
        .redirectErrorStream(true)
        .start();
    StringBuffer output = new StringBuffer();
    CompletableFuture<long[]> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> read(process, output, ready), "child-server-output");
    reader.setDaemon(true);
    reader.start();
    try {
      long[] portAndNanos = ready.get(60, TimeUnit.SECONDS);
      return new ChildProcess(process, (int) portAndNanos[0], portAndNanos[1], output);
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      throw new IOException("child server on port " + port + " did not get ready: " + e
          + "; it printed:\n" + output, e);
    }
  }

  private static void read(Process process, StringBuffer output, CompletableFuture<long[]> ready) {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("READY ")) {
          ready.complete(new long[] {Integer.parseInt(line.substring(6).trim()),
              System.nanoTime()});
        }
        if (output.length() < MAX_OUTPUT_CHARS) {
          output.append(line).append('\n');
        }
      }
    } catch (IOException | RuntimeException e) {
      output.append("(reading failed: ").append(e).append(")\n");
    }
    ready.completeExceptionally(new IOException("exited before READY"));
  }

  /** The port the child server listens on. */
  int port() {
    return port;
  }

  /** When the child printed READY, in {@link System#nanoTime()}. */
  long readyNanos() {
    return readyNanos;
  }

  /** The child's process id. */
  long pid() {
    return process.pid();
  }

  /** Kills the process as an outage would (SIGKILL), and waits until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("child server " + process.pid() + " survived SIGKILL");
    }
  }

  /** What the child printed so far. */
  String output() {
    return output.toString();
  }

  /** Ends the child: a clean stop through its standard input, then a kill if it lingers. */
  @Override
  public void close() throws IOException {
    if (!process.isAlive()) {
      return;
    }
    process.getOutputStream().close();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
