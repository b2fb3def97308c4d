package io.ipc4j.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the {@code ./ipc} launcher as a user would, on the runnable jar the build just packaged
 * ({@code IPC_JAR} tells the launcher not to build).
 */
class LauncherIT {
  private static final long TIMEOUT_SECONDS = 60;
  private static final Pattern SERVING = Pattern.compile("ipc4j serving kodi-IPC "
      + "\\(io\\.ipc4j\\.datastore\\.DataStore, data in (.+)\\) on 127\\.0\\.0\\.1:([0-9]+) "
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
  void versionIsTheProjectVersion() throws Exception {
    for (String option : new String[] {"-V", "--version"}) {
      Result r = run(option);
      assertEquals(0, r.exitCode(), r::toString);
      assertTrue(r.out().startsWith("ipc4j " + System.getProperty("ipc.version") + " (Java "),
          r::toString);
      assertEquals("", r.err());
    }
  }

  @Test
  void secondLauncherWaitsForTheFirstBuildWithFlock() throws Exception {
    assumeTrue(onPath("flock") != null, "no flock on this machine");
    secondLauncherWaitsForTheFirstBuild(System.getenv("PATH"));
  }

  @Test
  void secondLauncherWaitsForTheFirstBuildWithoutFlock() throws Exception {
    // Every command on the PATH but flock, as on macOS.
    Path tools = Files.createDirectories(dir.resolve("tools"));
    for (String entry : System.getenv("PATH").split(File.pathSeparator)) {
      File[] files = entry.isEmpty() ? null : new File(entry).listFiles();
      for (File f : files == null ? new File[0] : files) {
        Path link = tools.resolve(f.getName());
        if (!f.getName().equals("flock") && f.canExecute() && !Files.exists(link,
            LinkOption.NOFOLLOW_LINKS)) {
          Files.createSymbolicLink(link, f.toPath().toAbsolutePath());
        }
      }
    }
    secondLauncherWaitsForTheFirstBuild(tools.toString());
  }

  /**
   * Runs two launchers in a copy of the tree with no jar, where a stand-in for Maven "builds" it
   * once the test lets it: the second says that it waits, and neither builds twice.
   */
  private void secondLauncherWaitsForTheFirstBuild(String path) throws Exception {
    Path tree = Files.createDirectories(dir.resolve("tree"));
    Files.copy(launcher, tree.resolve("ipc"), StandardCopyOption.COPY_ATTRIBUTES);
    Path bin = Files.createDirectories(dir.resolve("fake-maven"));
    Path release = dir.resolve("release");
    Path builds = dir.resolve("builds");
    Path mvn = Files.writeString(bin.resolve("mvn"), "#!/bin/sh\n"
        + "# Stands in for Maven: counts the builds, waits until the test lets this one end\n"
        + "# (at most a minute), then makes the jar.\n"
        + "echo build >>'" + builds + "'\n"
        + "i=0\n"
        + "while [ ! -f '" + release + "' ] && [ $i -lt 1200 ]; do i=$((i+1)); sleep 0.05; done\n"
        + "mkdir -p ipc-cli/target && cp '" + jar + "' ipc-cli/target/ipc-cli.jar\n");
    assertTrue(mvn.toFile().setExecutable(true));
    List<Process> started = new ArrayList<>();
    try {
      ProcessBuilder pb = new ProcessBuilder(tree.resolve("ipc").toString(), "--version")
          .directory(dir.toFile());
      pb.environment().remove("IPC_JAR");
      pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
      pb.environment().put("PATH", bin + File.pathSeparator + path);
      Process first = pb.start();
      started.add(first);
      BufferedReader firstErr = reader(first.getErrorStream());
      assertEquals("ipc: building ipc4j (first use, about a minute)...", line(firstErr));
      Process second = pb.start();
      started.add(second);
      BufferedReader secondErr = reader(second.getErrorStream());
      assertEquals("ipc: waiting for another ./ipc to finish building ipc4j...",
          line(secondErr));
      Files.writeString(release, "go");
      String version = "ipc4j " + System.getProperty("ipc.version") + " (Java ";
      for (Process p : started) {
        assertTrue(p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "./ipc still running");
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), UTF_8);
        assertEquals(0, p.exitValue(), out + err);
        assertTrue(out.startsWith(version), out);
      }
      assertEquals("", firstErr.lines().collect(Collectors.joining("\n")));
      assertEquals("", secondErr.lines().collect(Collectors.joining("\n")));
      assertEquals("build\n", Files.readString(builds));
      assertFalse(Files.exists(tree.resolve(".ipc-build/lock.d")), "the lock is left behind");
    } finally {
      Files.writeString(release, "go");
      started.forEach(Process::destroyForcibly);
    }
  }

  private static BufferedReader reader(InputStream in) {
    return new BufferedReader(new InputStreamReader(in, UTF_8));
  }

  /** The next line {@code reader} gives, within the timeout. */
  private static String line(BufferedReader reader) throws Exception {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return reader.readLine();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  private static Path onPath(String command) {
    for (String entry : System.getenv("PATH").split(File.pathSeparator)) {
      Path p = Path.of(entry.isEmpty() ? "." : entry, command);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
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
