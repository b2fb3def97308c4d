package io.ipc4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ipc4j.core.Oneway;
import io.ipc4j.server.IpcServer;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DescribeCommandTest {
  private IpcServer server;
  private String port;

  @BeforeEach
  void start() throws IOException {
    server = IpcServer.builder()
        .expose("calc", new CalcImpl(), Calc.class)
        .expose("notes", new Notes())
        .token("s3cret")
        .port(0)
        .start();
    port = String.valueOf(server.port());
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void listsEveryObjectWithItsSignatures() {
    Cli.Result r = Cli.run("describe", "--port", port, "--token", "s3cret");
    assertEquals("""
        calc: io.ipc4j.cli.DescribeCommandTest$Calc (default object)
          int add(int a, int b)
          void log(java.lang.String line)  [oneway]
          java.util.List<java.lang.String> split(java.lang.String text) throws java.io.IOException

        notes: io.ipc4j.cli.DescribeCommandTest$Notes
          java.lang.String read(long id)
        """, r.out(), r::toString);
    assertEquals(0, r.exitCode(), r::toString);
  }

  @Test
  void nameListsJustThatObject() {
    Cli.Result r = Cli.run("describe", "--name", "notes", "--port", port, "--token", "s3cret");
    assertEquals("""
        notes: io.ipc4j.cli.DescribeCommandTest$Notes
          java.lang.String read(long id)
        """, r.out(), r::toString);
    assertEquals(0, r.exitCode(), r::toString);
  }

  @Test
  void unknownNameExitsFour() {
    Cli.Result r = Cli.run("describe", "--name", "nope", "--port", port, "--token", "s3cret");
    assertEquals(4, r.exitCode(), r::toString);
    assertEquals("ipc: describe nope at localhost:" + port + " failed: NOT_FOUND: no object "
        + "'nope' on this server; it exposes calc, notes\n", r.err());
  }

  @Test
  void missingTokenExitsFour() {
    Cli.Result r = Cli.run("describe", "--port", port);
    assertEquals(4, r.exitCode(), r::toString);
    assertEquals("", r.out());
    assertEquals(1, r.err().lines().count(), r::toString);
    assertEquals(true, r.err().startsWith("ipc: describe kodi-IPC at localhost:" + port
        + " failed: UNAUTHENTICATED"), r::toString);
  }

  @Test
  void unreachableServerExitsThree() {
    server.stop();
    Cli.Result r = Cli.run("describe", "--port", port);
    assertEquals(3, r.exitCode(), r::toString);
    assertEquals("ipc: cannot reach kodi-IPC at localhost:" + port + ": Connection refused\n",
        r.err());
  }

  /** An exposed interface. */
  public interface Calc {
    int add(int a, int b);

    List<String> split(String text) throws IOException;

    @Oneway
    void log(String line);
  }

  /** Its implementation; its other public methods stay hidden. */
  public static final class CalcImpl implements Calc {
    @Override
    public int add(int a, int b) {
      return a + b;
    }

    @Override
    public List<String> split(String text) {
      return List.of(text.split(" "));
    }

    @Override
    public void log(String line) {}

    public void hidden() {}
  }

  /** An object exposed with all its public methods. */
  public static final class Notes {
    public String read(long id) {
      return "note " + id;
    }
  }
}
