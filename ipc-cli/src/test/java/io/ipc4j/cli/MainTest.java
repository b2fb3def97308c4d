package io.ipc4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MainTest {
  @Test
  void noCommandIsAUsageError() {
    Cli.Result r = Cli.run();
    assertEquals(new Cli.Result(2, "",
        "ipc: missing a command: serve, call, describe, health or watch\n"
            + "Try 'ipc --help' for more.\n"), r);
  }

  @Test
  void unknownCommandIsAUsageError() {
    Cli.Result r = Cli.run("cal", "get");
    assertEquals(2, r.exitCode(), r::toString);
    assertEquals(new Cli.Result(2, "", "ipc: unknown command 'cal'; the commands are serve, call,"
        + " describe, health, watch\n"
        + "Did you mean: ipc call or ipc health?\n"
        + "Try 'ipc --help' for more.\n"), r);
  }

  @Test
  void argumentsNothingTakesAreNamed() {
    assertEquals(new Cli.Result(2, "", "ipc: health takes no arguments, but was given 'extra'\n"
        + "Try 'ipc health --help' for more.\n"), Cli.run("health", "--port", "1", "extra"));
    assertEquals(new Cli.Result(2, "", "ipc: describe takes no arguments, but was given 'a', 'b'\n"
        + "Try 'ipc describe --help' for more.\n"), Cli.run("describe", "a", "b"));
  }

  @Test
  void unknownOptionIsAUsageError() {
    Cli.Result r = Cli.run("health", "--prot", "5");
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.err().startsWith("ipc: Unknown options: '--prot', '5'\n"), r::toString);
    assertTrue(r.err().endsWith("Try 'ipc health --help' for more.\n"), r::toString);
  }

  @Test
  void helpListsCommandsAndExitCodes() {
    Cli.Result r = Cli.run("--help");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().startsWith("Usage: ipc [-hV] COMMAND\n"), r::toString);
    for (String command : new String[] {"serve", "call", "describe", "health", "watch"}) {
      assertTrue(r.out().contains("\n  " + command + " "), command);
    }
    assertTrue(r.out().contains("""
        Exit codes:
          0   ok; for health: SERVING
          1   the remote method threw (its traceback is on stderr)
          2   usage error: bad option or argument, bad settings file or TLS file
          3   the server cannot be reached; for health: NOT_SERVING; for watch: the
                watch ended
          4   any other failure: the call was refused or timed out, the server could
                not start
        """), r::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {"serve", "call", "describe", "health", "watch"})
  void everyCommandHasHelpWithItsOptionsAndExitCodes(String command) {
    Cli.Result r = Cli.run(command, "--help");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().startsWith("Usage: ipc " + command + " "), r::toString);
    for (String option : new String[] {"--name", "--host", "--port", "--settings", "--token"}) {
      assertTrue(r.out().contains(option + "="), option);
    }
    boolean client = !command.equals("serve");
    for (String option : new String[] {"--deadline=", "--serializer=", "--target=", "--tls ",
        "--tls-ca="}) {
      assertEquals(client, r.out().contains(option), option + "\n" + r);
    }
    for (String option : new String[] {"--tls-client-ca=", "--insecure", "--data-dir="}) {
      assertEquals(!client, r.out().contains(option), option + "\n" + r);
    }
    assertTrue(r.out().contains("--tls-cert=") && r.out().contains("--tls-key="), r::toString);
    assertTrue(r.out().contains("\nExit codes:\n  0   "), r::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-V", "--version"})
  void versionIsTheProjectVersion(String option) {
    String expected = "ipc4j " + System.getProperty("ipc.version") + " (Java " + Runtime.version()
        + ")\n";
    assertEquals(new Cli.Result(0, expected, ""), Cli.run(option));
    for (String command : new String[] {"serve", "call", "describe", "health", "watch"}) {
      assertEquals(new Cli.Result(0, expected, ""), Cli.run(command, option));
    }
  }

  @Test
  void versionComesFromTheFilteredResource() {
    assertEquals("1.2.3", VersionProvider.recorded(
        new ByteArrayInputStream("version=1.2.3\n".getBytes(StandardCharsets.UTF_8))));
    assertEquals(null, VersionProvider.recorded(
        new ByteArrayInputStream("version=${project.version}\n".getBytes(StandardCharsets.UTF_8))));
    assertEquals(null, VersionProvider.recorded(null));
  }
}
