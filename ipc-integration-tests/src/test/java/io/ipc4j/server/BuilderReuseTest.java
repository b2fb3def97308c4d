package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ipc4j.client.IpcClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A builder is a recipe, not the configuration: what {@code build()} made stays as it was when the
 * builder changes afterwards, and {@code build()} writes nothing of a settings file back into it.
 */
class BuilderReuseTest {

  /** The exposed object. */
  public static final class Echo {
    public String echo(String s) {
      return s;
    }
  }

  @TempDir
  Path dir;

  @Test
  void aServerBuilderReadsTheSettingsFileWithoutKeepingItsValues() throws Exception {
    Path named = Files.writeString(dir.resolve("named.properties"), "name=from-file\n");
    Path empty = Files.writeString(dir.resolve("empty.properties"), "# nothing\n");
    IpcServer.Builder builder = IpcServer.builder().name("mine").expose(new Echo()).port(0);
    try (IpcServer first = builder.settings(named).build();
        IpcServer second = builder.settings(empty).build()) {
      assertEquals("from-file", first.name());
      assertEquals("mine", second.name(), "build() kept the file's name");
    }
  }

  @Test
  void aClientIsUnchangedByItsBuilderAfterBuild() throws Exception {
    try (IpcServer server = IpcServer.builder().expose("a", new Echo()).host("127.0.0.1").port(0)
            .start()) {
      Path named = Files.writeString(dir.resolve("named.properties"), "name=a\n");
      Path empty = Files.writeString(dir.resolve("empty.properties"), "# nothing\n");
      IpcClient.Builder builder = IpcClient.builder().name("b")
          .target("127.0.0.1:" + server.port()).settings(named);
      try (IpcClient first = builder.build()) {
        builder.target("127.0.0.1:1").token("t0ken").settings(empty);
        assertEquals("127.0.0.1:" + server.port(), first.target());
        assertEquals("unchanged", first.getExposedObject().call("echo", "unchanged"));
        try (IpcClient second = builder.build()) {
          assertEquals("127.0.0.1:1", second.target());
          assertEquals("b", second.getExposedObject().name(), "build() kept the file's name");
        }
      }
    }
  }
}
