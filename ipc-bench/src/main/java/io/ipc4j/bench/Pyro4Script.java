package io.ipc4j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Pyro4 contender: {@code pyro4_bench.py}, a resource of this module, serves and calls with
 * Pyro4 in Python and speaks the same lines as {@link ServerMain} and {@link ClientMain}. It runs
 * only where the Python interpreter can import Pyro4; elsewhere the run says why it was skipped.
 */
final class Pyro4Script {
  private static final String RESOURCE = "pyro4_bench.py";
  private static final long CHECK_SECONDS = 30;

  private Pyro4Script() {}

  /** Why {@code python} cannot run the Pyro4 contender, or null when it can. */
  static String unavailable(String python) {
    String check = python + " -c \"import Pyro4\"";
    try {
      Process p = new ProcessBuilder(python, "-c", "import Pyro4")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(CHECK_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "`" + check + "` did not end within " + CHECK_SECONDS + " s";
      }
      return p.exitValue() == 0 ? null
          : "not installed: `" + check + "` exited " + p.exitValue();
    } catch (IOException e) {
      return "no Python: cannot run '" + python + "' (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while checking `" + check + "`";
    }
  }

  /** Writes the script into {@code dir} and answers its path. */
  static Path extract(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path script = dir.resolve(RESOURCE);
    try (InputStream in = Pyro4Script.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("resource " + RESOURCE + " missing from the class path");
      }
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    return script;
  }

  /** The server: prints {@code LISTENING URI}, serves until its input ends. */
  static List<String> server(String python, Path script) {
    return List.of(python, script.toString(), "server");
  }

  /** The client: prints {@code READY}, then answers each {@code CELL} line. */
  static List<String> client(String python, Path script, String uri, long serverPid) {
    return List.of(python, script.toString(), "client", uri, String.valueOf(serverPid));
  }
}
