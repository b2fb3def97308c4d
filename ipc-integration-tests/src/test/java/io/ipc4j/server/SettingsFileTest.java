package io.ipc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Status;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcException;
import io.ipc4j.client.IpcUnauthenticatedException;
import io.ipc4j.core.ErrorReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Server and client read a Kodi settings.xml or a .properties file; the file wins. */
class SettingsFileTest {

  /** The exposed object. */
  public static final class Echo {
    public String echo(String s) {
      return s;
    }
  }

  @TempDir
  Path dir;

  private Path write(String fileName, String content) throws IOException {
    return Files.writeString(dir.resolve(fileName), content, StandardCharsets.UTF_8);
  }

  private static String attributeXml(String... keysAndValues) {
    StringBuilder xml = new StringBuilder("<settings version=\"2\">\n");
    for (int i = 0; i < keysAndValues.length; i += 2) {
      xml.append("  <setting id=\"").append(keysAndValues[i]).append("\" value=\"")
          .append(keysAndValues[i + 1]).append("\"/>\n");
    }
    return xml.append("</settings>\n").toString();
  }

  private static String textXml(String... keysAndValues) {
    StringBuilder xml = new StringBuilder("<settings version=\"2\">\n");
    for (int i = 0; i < keysAndValues.length; i += 2) {
      xml.append("  <setting id=\"").append(keysAndValues[i]).append("\" default=\"true\">")
          .append(keysAndValues[i + 1]).append("</setting>\n");
    }
    return xml.append("</settings>\n").toString();
  }

  @Test
  void theServerTakesHostPortAndNameFromTheFileOverTheBuilder() throws Exception {
    Path file = write("settings.xml", attributeXml(
        "data_name", "from-file", "host", "127.0.0.1", "port", "0"));
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        IpcServer server = IpcServer.builder().expose(new Echo()).name("from-builder")
            .host("localhost").port(taken.getLocalPort()).settings(file).start();
        IpcClient client = IpcClient.builder().host("127.0.0.1").port(server.port())
            .name("from-file").build()) {
      assertEquals("from-file", server.name());
      assertEquals("127.0.0.1", server.host());
      assertEquals("hi", client.getExposedObject().call("echo", "hi"));
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void theServerTakesNameAndSerializerFromAPropertiesFile(Transport transport) throws Exception {
    Path file = write("ipc.properties", "# script.module.ipc's settings\nname = props-name\n"
        + "serializer = CBOR\nunrelated = ignored\n");
    try (Transport.Served served = transport.start(IpcServer.builder().expose(new Echo())
            .serializers("json", "cbor").settings(file));
        IpcClient cbor = served.client().name("props-name").serializer("cbor").build();
        IpcClient json = served.client().name("props-name").build()) {
      assertEquals("props-name", served.server().name());
      assertEquals("hi", cbor.getExposedObject().call("echo", "hi"));
      IpcException refused = assertThrows(IpcException.class,
          () -> json.getExposedObject().call("echo", "hi"));
      assertEquals(Status.Code.FAILED_PRECONDITION, refused.getStatusCode());
      assertEquals(ErrorReason.SERIALIZER_NOT_ACCEPTED, refused.getReason());
    }
  }

  @Test
  void aClientConfiguredOnlyByItsSettingsFileReachesTheServer() throws Exception {
    try (IpcServer server = IpcServer.builder().name("stored").expose(new Echo())
            .serializers("cbor").host("127.0.0.1").port(0).start();
        ServerSocket wrongPort = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Path xml = write("client.xml", textXml("data_name", "stored", "host", "127.0.0.1",
          "port", String.valueOf(server.port()), "serializer", "cbor"));
      Path properties = write("client.properties", "name=stored\nhost=127.0.0.1\nport="
          + server.port() + "\nserializer=cbor\n");
      for (Path file : new Path[] {xml, properties}) {
        try (IpcClient only = IpcClient.builder().settings(file).build();
            IpcClient overridden = IpcClient.builder().name("wrong").host("localhost")
                .port(wrongPort.getLocalPort()).serializer("json").settings(file).build();
            IpcClient targeted = IpcClient.builder().target("dns:///nowhere.invalid:1")
                .settings(file).build()) {
          for (IpcClient client : new IpcClient[] {only, overridden, targeted}) {
            assertEquals("stored", client.name());
            assertEquals("127.0.0.1:" + server.port(), client.target());
            assertEquals("via " + file.getFileName(),
                client.getExposedObject().call("echo", "via " + file.getFileName()));
          }
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aTokenFromTheSettingsFile(Transport transport) throws Exception {
    Path serverFile = write("server.properties", "token=from-the-file\n");
    Path clientFile = write("client.xml", attributeXml("token", "from-the-file"));
    try (Transport.Served served = transport.start(IpcServer.builder().expose(new Echo())
            .token("from-the-builder").settings(serverFile));
        IpcClient withFile = served.client().token("from-the-builder").settings(clientFile)
            .build();
        IpcClient withBuilderToken = served.client().token("from-the-builder").build()) {
      assertEquals("ok", withFile.getExposedObject().call("echo", "ok"));
      assertThrows(IpcUnauthenticatedException.class,
          () -> withBuilderToken.getExposedObject().call("echo", "ok"));
    }
  }

  @Test
  void aBadValueNamesTheFileTheKeyAndTheValue() throws Exception {
    Path port = write("port.xml", attributeXml("port", "90x9"));
    String portMessage = "settings file " + port
        + ": key 'port' has value '90x9': expected a port number 0-65535";
    assertEquals(portMessage, assertThrows(IllegalArgumentException.class,
        () -> IpcServer.builder().expose(new Echo()).settings(port).build()).getMessage());
    assertEquals(portMessage, assertThrows(IllegalArgumentException.class,
        () -> IpcClient.builder().settings(port).build()).getMessage());

    Path pickle = write("pickle.properties", "serializer=pickle\n");
    // The known serializers include smile, which these tests register (SmileSerializerFactory).
    String pickleMessage = "settings file " + pickle
        + ": key 'serializer' has value 'pickle': expected one of json, cbor, smile";
    assertEquals(pickleMessage, assertThrows(IllegalArgumentException.class,
        () -> IpcServer.builder().expose(new Echo()).settings(pickle).build()).getMessage());
    assertEquals(pickleMessage, assertThrows(IllegalArgumentException.class,
        () -> IpcClient.builder().settings(pickle).build()).getMessage());

    Path zero = write("zero.properties", "port=0\n");
    assertEquals("settings file " + zero + ": key 'port' has value '0': expected a port number"
        + " 1-65535", assertThrows(IllegalArgumentException.class,
            () -> IpcClient.builder().settings(zero).build()).getMessage());

    Path missing = dir.resolve("missing.xml");
    String missingMessage = "settings file " + missing + ": cannot read: no such file";
    assertEquals(missingMessage, assertThrows(UncheckedIOException.class,
        () -> IpcServer.builder().expose(new Echo()).settings(missing).build()).getMessage());
    assertEquals(missingMessage, assertThrows(UncheckedIOException.class,
        () -> IpcClient.builder().settings(missing).build()).getMessage());
  }
}
