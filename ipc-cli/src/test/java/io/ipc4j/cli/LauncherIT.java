package io.ipc4j.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the {@code ./ipc} launcher as a user would, on the runnable jar the build just packaged
 * ({@code IPC_JAR} tells the launcher not to build).
 */
class LauncherIT {
  private static final long TIMEOUT_SECONDS = 60;
  private static final Pattern SERVING = Pattern.compile("ipc4j serving kodi-IPC "
      + "\\(io\\.ipc4j\\.datastore\\.DataStore, data in (.+)\\) on localhost:([0-9]+) "
      + "- Ctrl-C to stop");

  private final Path launcher = Path.of(System.getProperty("ipc.launcher"));
  private final Path jar = Path.of(System.getProperty("ipc.jar"));
  @TempDir Path dir;

  private record Result(int exitCode, String out, String err) {}

  private ProcessBuilder ipc(String... args) {
    List<String> command = new ArrayList<>();
    command.add(launcher.toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().put("IPC_JAR", jar.toString());
    pb.environment().remove("IPC_TOKEN");
    return pb;
  }

  private Result run(ProcessBuilder pb) throws Exception {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        fail("ipc " + pb.command() + " still running after " + TIMEOUT_SECONDS + " s");
      }
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      p.destroyForcibly();
    }
  }

  private Result run(String... args) throws Exception {
    return run(ipc(args));
  }

  @Test
  void servesCallsAndStopsGracefullyOnSigterm() throws Exception {
    Path data = dir.resolve("data");
    Path serveErr = dir.resolve("serve.err");
    Process serve = ipc("serve", "--port", "0", "--data-dir", data.toString())
        .redirectError(serveErr.toFile())
        .start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), UTF_8));
      String line = readLine(out, serveErr);
      Matcher m = SERVING.matcher(line);
      assertTrue(m.matches(), line);
      assertEquals(data.toRealPath().toString(), m.group(1));
      String port = m.group(2);

      Result set = run("call", "set", "greeting", "hello", "cli", "false", "--port", port);
      assertEquals(0, set.exitCode(), set::toString);
      assertTrue(set.out().matches("[0-9]+\n"), set::toString);
      assertEquals(new Result(0, "{\n  \"value\": \"hello\",\n  \"ts\": " + set.out().trim()
          + "\n}\n", ""), run("call", "get", "greeting", "cli", "--port", port));
      assertEquals(new Result(0, "SERVING\n", ""), run("health", "--port", port));

      Result spaced = run("call", "set", "note", "two words", "cli", "false", "--port", port);
      assertEquals(0, spaced.exitCode(), spaced::toString);
      Result note = run("call", "get", "note", "cli", "--port", port);
      assertTrue(note.out().contains("\"value\": \"two words\""), note::toString);

      long start = System.nanoTime();
      // SIGTERM, as Process.destroy() sends, but leaving stdout open to read the last line.
      assertTrue(serve.toHandle().destroy(), "SIGTERM not sent");
      assertTrue(serve.waitFor(15, TimeUnit.SECONDS), "serve still running 15 s after SIGTERM");
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals(128 + 15, serve.exitValue(), "exit code after SIGTERM");
      assertTrue(millis < 10_000, "took " + millis + " ms to stop");
      assertEquals("ipc4j stopped kodi-IPC", readLine(out, serveErr));
      assertEquals("", Files.readString(serveErr));
    } finally {
      serve.destroyForcibly();
    }
    assertEquals(new Result(3, "NOT_SERVING\n", ""), run("health", "--port",
        String.valueOf(freePort())));
  }

  @Test
  void remoteExceptionAndUnreachableServerExitCodesPassThrough() throws Exception {
    int port = freePort();
    Result r = run("call", "get", "greeting", "cli", "--port", String.valueOf(port));
    assertEquals(new Result(3, "",
        "ipc: cannot reach kodi-IPC at localhost:" + port + ": Connection refused\n"), r);
    Result usage = run("call");
    assertEquals(2, usage.exitCode(), usage::toString);
  }

  @Test
  void worksFromAnyDirectoryAndThroughASymlink() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path link = Files.createSymbolicLink(bin.resolve("ipc"), launcher.toAbsolutePath());
    ProcessBuilder pb = ipc("--version");
    pb.command().set(0, link.toString());
    Result r;
    try {
      r = run(pb);
    } finally {
      Files.delete(link);
    }
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().startsWith("ipc4j "), r::toString);
  }

  @Test
  void missingJarIsReported() throws Exception {
    ProcessBuilder pb = ipc("--version");
    Path missing = dir.resolve("missing.jar");
    pb.environment().put("IPC_JAR", missing.toString());
    assertEquals(new Result(4, "", "ipc: IPC_JAR is " + missing + ", which is not a file\n"),
        run(pb));
  }

  private static String readLine(BufferedReader reader, Path err) throws Exception {
    try {
      String line = CompletableFuture.supplyAsync(() -> {
        try {
          return reader.readLine();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (line == null) {
        fail("serve ended; stderr:\n" + Files.readString(err));
      }
      return line;
    } catch (TimeoutException e) {
      return fail("serve printed no line in " + TIMEOUT_SECONDS + " s; stderr:\n"
          + Files.readString(err));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
      return s.getLocalPort();
    }
  }
}
