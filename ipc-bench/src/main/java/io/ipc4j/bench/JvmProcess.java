package io.ipc4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM on this JVM's class path, or another program (the Pyro4 contender's Python). Its
 * standard output is read line by line: the lines the
 * driver waits for are handed over, all others are copied to standard error with the child's
 * name. Its standard error goes straight to ours. Closing it closes its standard input (the
 * benchmark's JVMs exit then), waits, and kills it if it does not.
 */
final class JvmProcess implements AutoCloseable {
  private static final String END = "\u0000end of output";
  private static final Duration EXIT_WAIT = Duration.ofSeconds(10);

  private final String name;
  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private JvmProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::read, "read-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code main} in a new JVM with these JVM options and arguments. */
  static JvmProcess start(String name, Class<?> main, List<String> jvmOptions, List<String> args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(args);
    return exec(name, command);
  }

  /** Starts {@code command}, a program and its arguments. */
  static JvmProcess exec(String name, List<String> command) throws IOException {
    Process p = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    return new JvmProcess(name, p);
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      System.err.println("[" + name + "] output unreadable: " + e);
    } finally {
      lines.add(END);
    }
  }

  /**
   * Waits for the next line that starts with {@code word} and answers it.
   *
   * @throws IOException when the JVM ends or says nothing of the kind within {@code timeout}
   */
  String await(String word, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new IOException(name + " printed no " + word + " line within "
            + timeout.toSeconds() + " s");
      }
      if (line.equals(END)) {
        lines.add(END);
        process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        throw new IOException(name + " ended (" + (process.isAlive() ? "still running"
            : "exit code " + process.exitValue()) + ") before it printed a " + word + " line");
      }
      if (line.equals(word) || line.startsWith(word + " ") || line.startsWith(word + "\t")) {
        return line;
      }
      System.err.println("[" + name + "] " + line);
    }
  }

  /** Sends one line to the JVM's standard input. */
  void send(String line) throws IOException {
    stdin.write(line);
    stdin.write('\n');
    stdin.flush();
  }

  long pid() {
    return process.pid();
  }

  String name() {
    return name;
  }

  /** Closes the JVM's input, waits for it to exit, and kills it if it does not. Never throws. */
  @Override
  public void close() {
    try {
      stdin.close();
    } catch (IOException e) {
      // it has gone already
    }
    try {
      if (!process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        System.err.println("[" + name + "] did not exit within " + EXIT_WAIT.toSeconds()
            + " s; killing it");
        kill();
      }
    } catch (InterruptedException e) {
      kill();
      Thread.currentThread().interrupt();
    }
  }

  /** Kills the JVM at once (and whatever it started). */
  void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
