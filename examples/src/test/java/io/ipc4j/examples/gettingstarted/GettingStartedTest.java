package io.ipc4j.examples.gettingstarted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcUnavailableException;
import io.ipc4j.server.IpcServer;
import io.ipc4j.testkit.IpcExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The getting-started server and client work in-process and over TCP, and docs/getting-started.md
 * shows exactly these files.
 */
class GettingStartedTest {
  private static final String EXPECTED =
      "1 + 2 = 3\n7 / 2 = 3\n1 / 0 failed on the server: / by zero\n";
  private static final Path SOURCES = Path.of("src/main/java/io/ipc4j/examples/gettingstarted");
  private static final Path GUIDE = Path.of("../docs/getting-started.md");

  @RegisterExtension
  final IpcExtension ipc = IpcExtension.inProcess().expose(new CalcImpl());

  private static String output(IpcClient client) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CalcClient.run(client, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void clientCallsByNameAndThroughTheInterface() {
    assertEquals(EXPECTED, output(ipc.client()));
  }

  @Test
  void serverAndClientWorkOverTcp() throws Exception {
    try (IpcServer server = CalcServer.start(0);
        IpcClient client = IpcClient.builder().port(server.port()).build()) {
      assertEquals("kodi-IPC", server.name());
      assertEquals(EXPECTED, output(client));
    }
  }

  @Test
  void clientWithoutServerIsUnavailable() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    try (IpcClient client = IpcClient.builder().port(port).build()) {
      IpcUnavailableException e = assertThrows(IpcUnavailableException.class,
          () -> output(client));
      assertTrue(e.getMessage().endsWith("(kodi-IPC.add at localhost:" + port + ")"),
          e.getMessage());
    }
  }

  /** The file's text with Unix line ends, as a Windows checkout may have others. */
  private static String text(Path file) throws IOException {
    return Files.readString(file).replace("\r\n", "\n");
  }

  /** Every file of the package appears in the guide, whole and as it is here. */
  @Test
  void guideShowsTheseFilesVerbatim() throws IOException {
    String guide = text(GUIDE);
    Matcher block = Pattern.compile("```java\n(package io\\.ipc4j\\.examples\\.gettingstarted;\n"
        + ".*?)```", Pattern.DOTALL).matcher(guide);
    Pattern type = Pattern.compile("^public (?:final )?(?:class|interface) (\\w+)",
        Pattern.MULTILINE);
    TreeMap<String, String> shown = new TreeMap<>();
    while (block.find()) {
      Matcher name = type.matcher(block.group(1));
      assertTrue(name.find(), "no public type in a block of " + GUIDE + ":\n" + block.group(1));
      shown.put(name.group(1) + ".java", block.group(1));
    }
    List<String> files = new ArrayList<>();
    try (Stream<Path> list = Files.list(SOURCES)) {
      list.forEach(p -> files.add(p.getFileName().toString()));
    }
    files.sort(null);
    assertEquals(files, new ArrayList<>(shown.keySet()), "files shown in " + GUIDE);
    for (String file : files) {
      assertEquals(text(SOURCES.resolve(file)), shown.get(file),
          file + " differs from its copy in " + GUIDE);
    }
  }
}
