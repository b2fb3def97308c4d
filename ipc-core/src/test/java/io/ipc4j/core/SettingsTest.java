package io.ipc4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading Kodi settings.xml and properties files, their checks and their safety. */
class SettingsTest {
  @TempDir Path dir;

  private Path write(String fileName, String content) throws IOException {
    return Files.writeString(dir.resolve(fileName), content, StandardCharsets.UTF_8);
  }

  private static String badValue(Path file, String key, String value, String expected) {
    return "settings file " + file + ": key '" + key + "' has value '" + value + "': " + expected;
  }

  private static String invalidPrefix(Path file) {
    return "settings file " + file + ": not a valid settings file: ";
  }

  @Test
  void readsOldKodiFormWithValueAttributes() throws IOException {
    Path file =
        write(
            "settings.xml",
            "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\n"
                + "<settings>\n"
                + "    <setting id=\"data_name\" value=\"kodi-IPC\" />\n"
                + "    <setting id=\"host\" value=\"127.0.0.1\" />\n"
                + "    <setting id=\"port\" value=\"9099\" />\n"
                + "    <setting id=\"serializer\" value=\"json\" />\n"
                + "    <setting id=\"token\" value=\"t0k3n\" />\n"
                + "    <setting id=\"enable_logging\" value=\"true\" />\n"
                + "</settings>\n");

    Settings settings = Settings.load(file);

    assertEquals(file, settings.file());
    assertEquals(Optional.of("kodi-IPC"), settings.name());
    assertEquals(Optional.of("127.0.0.1"), settings.host());
    assertEquals(OptionalInt.of(9099), settings.port());
    assertEquals(Optional.of("json"), settings.serializer());
    assertEquals(Optional.of("t0k3n"), settings.token());
  }

  @Test
  void readsNewKodiFormWithTextAndDefaultMarkers() throws IOException {
    Path file =
        write(
            "settings.xml",
            "<settings version=\"2\">\n"
                + "    <setting id=\"data_name\">kodi-IPC</setting>\n"
                + "    <setting id=\"host\" default=\"true\" />\n"
                + "    <setting id=\"port\" default=\"true\">9099</setting>\n"
                + "    <setting id=\"serializer\">  cbor\n  </setting>\n"
                + "    <setting id=\"token\" default=\"true\"></setting>\n"
                + "    <setting id=\"other\">ignored value with spaces</setting>\n"
                + "</settings>\n");

    Settings settings = Settings.load(file);

    assertEquals(Optional.of("kodi-IPC"), settings.name());
    assertEquals(Optional.empty(), settings.host());
    assertEquals(OptionalInt.of(9099), settings.port());
    assertEquals(Optional.of("cbor"), settings.serializer());
    assertEquals(Optional.empty(), settings.token());
  }

  @Test
  void readsPropertiesFileAndTrimsValues() throws IOException {
    Path file =
        write(
            "ipc.properties",
            "# connection\n"
                + "name = café-IPC  \n"
                + "host=example.org\t\n"
                + "port: 1234\n"
                + "serializer=json\n"
                + "token=abc\n"
                + "unrelated=some thing\n");

    Settings settings = Settings.load(file);

    assertEquals(Optional.of("café-IPC"), settings.name());
    assertEquals(Optional.of("example.org"), settings.host());
    assertEquals(OptionalInt.of(1234), settings.port());
    assertEquals(Optional.of("json"), settings.serializer());
    assertEquals(Optional.of("abc"), settings.token());
  }

  @Test
  void propertiesThatAreNotUtf8AreReadAsLatin1() throws IOException {
    Path file = dir.resolve("latin1.properties");
    Files.write(file, "name=caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

    assertEquals(Optional.of("caf\u00e9"), Settings.load(file).name());
  }

  @Test
  void xmlFileNameIsRecognisedWhateverItsCase() throws IOException {
    Path file = write("SETTINGS.XML", "<settings><setting id=\"port\" value=\"1\"/></settings>");

    assertEquals(OptionalInt.of(1), Settings.load(file).port());
  }

  @Test
  void dataNameWinsOverName() throws IOException {
    Path xml =
        write(
            "settings.xml",
            "<settings><setting id=\"name\" value=\"plain\" />"
                + "<setting id=\"data_name\" value=\"kodi-IPC\" /></settings>");
    Path properties = write("both.properties", "data_name=kodi-IPC\nname=plain\n");

    assertEquals(Optional.of("kodi-IPC"), Settings.load(xml).name());
    assertEquals(Optional.of("kodi-IPC"), Settings.load(properties).name());
  }

  @Test
  void nameIsUsedWhenDataNameIsAbsentOrBlank() throws IOException {
    Path onlyName = write("only.properties", "name=plain\n");
    Path blankDataName = write("blank.properties", "data_name=   \nname=plain\n");

    assertEquals(Optional.of("plain"), Settings.load(onlyName).name());
    assertEquals(Optional.of("plain"), Settings.load(blankDataName).name());
  }

  @Test
  void emptyAndBlankValuesAreAbsent() throws IOException {
    Path xml =
        write(
            "settings.xml",
            "<settings>"
                + "<setting id=\"data_name\" value=\"\" />"
                + "<setting id=\"host\" value=\"   \" />"
                + "<setting id=\"port\" value=\"\" />"
                + "<setting id=\"serializer\" value=\" \t \" />"
                + "<setting id=\"token\" value=\"\" />"
                + "</settings>");
    Path properties = write("empty.properties", "name=\nhost= \nport=\nserializer=\ntoken=\n");
    Path empty = write("nothing.properties", "");

    for (Path file : new Path[] {xml, properties, empty}) {
      Settings settings = Settings.load(file);
      assertEquals(Optional.empty(), settings.name(), file.toString());
      assertEquals(Optional.empty(), settings.host(), file.toString());
      assertEquals(OptionalInt.empty(), settings.port(), file.toString());
      assertEquals(Optional.empty(), settings.serializer(), file.toString());
      assertEquals(Optional.empty(), settings.token(), file.toString());
    }
  }

  @Test
  void badPortNamesFileKeyAndValue() throws IOException {
    Path file = write("settings.xml", "<settings><setting id=\"port\" value=\"abc\" /></settings>");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Settings.load(file));

    assertEquals(badValue(file, "port", "abc", "expected a port number 0-65535"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "65536", "99999999999", "+80", "90 99", "0x50", "８０"})
  void portsOutOfRangeOrNotDecimalAreRejected(String port) throws IOException {
    Path file = write("bad.properties", "port=" + port + "\n");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Settings.load(file));

    assertEquals(badValue(file, "port", port, "expected a port number 0-65535"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 65535})
  void portBoundsAreAccepted(int port) throws IOException {
    Path file = write("ok.properties", "port=" + port + "\n");

    assertEquals(OptionalInt.of(port), Settings.load(file).port());
  }

  @Test
  void serializerIsLowercased() throws IOException {
    Path xml =
        write("settings.xml", "<settings><setting id=\"serializer\">JSON</setting></settings>");
    Path properties = write("s.properties", "serializer= Cbor \n");

    assertEquals(Optional.of("json"), Settings.load(xml).serializer());
    assertEquals(Optional.of("cbor"), Settings.load(properties).serializer());
  }

  @ParameterizedTest
  @ValueSource(strings = {"js on", "json!", "ser/ializer", "é"})
  void badSerializerIsRejected(String serializer) throws IOException {
    Path file = write("s.properties", "serializer=" + serializer + "\n");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Settings.load(file));

    assertEquals(
        badValue(
            file, "serializer", serializer, "expected a serializer name of a-z, 0-9, '_' or '-'"),
        e.getMessage());
  }

  @Test
  void hostWithWhitespaceIsRejected() throws IOException {
    Path file =
        write("settings.xml", "<settings><setting id=\"host\">local host</setting></settings>");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Settings.load(file));

    assertEquals(
        badValue(file, "host", "local host", "expected a host name or address without whitespace"),
        e.getMessage());
  }

  @Test
  void nameOfNoBreakSpacesOnlyIsRejected() throws IOException {
    Path file = write("n.properties", "data_name=\u00a0\u2007\n");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Settings.load(file));

    assertEquals(
        badValue(file, "data_name", "\u00a0\u2007", "expected a name, not only whitespace"),
        e.getMessage());
  }

  @Test
  void missingFileIsUncheckedIoExceptionNamingTheFile() {
    Path file = dir.resolve("missing.xml");

    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Settings.load(file));

    assertEquals("settings file " + file + ": cannot read: no such file", e.getMessage());
  }

  @Test
  void unreadableFileIsUncheckedIoExceptionNamingTheFile() throws IOException {
    Path directory = Files.createDirectory(dir.resolve("settings.properties"));

    UncheckedIOException e =
        assertThrows(UncheckedIOException.class, () -> Settings.load(directory));

    assertTrue(
        e.getMessage().startsWith("settings file " + directory + ": cannot read: "),
        e.getMessage());
  }

  @Test
  void malformedXmlIsRejected() throws IOException {
    Path file = write("settings.xml", "<settings><setting id=\"port\" value=\"1\"></settings>");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Settings.load(file));

    assertTrue(e.getMessage().startsWith(invalidPrefix(file)), e.getMessage());
    assertTrue(e.getMessage().length() > invalidPrefix(file).length(), e.getMessage());
  }

  @Test
  void xmlWithAnotherRootElementIsRejected() throws IOException {
    Path file = write("settings.xml", "<config><setting id=\"port\" value=\"1\"/></config>");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Settings.load(file));

    assertEquals(
        invalidPrefix(file) + "root element is <config>, expected <settings>", e.getMessage());
  }

  @Test
  void externalEntityIsRejectedAndSecretNotRead() throws IOException {
    String secret = "TOP-SECRET-" + System.nanoTime();
    Path secretFile = write("secret.txt", secret);
    Path file =
        write(
            "settings.xml",
            "<?xml version=\"1.0\"?>\n"
                + "<!DOCTYPE settings [ <!ENTITY xxe SYSTEM \""
                + secretFile.toUri()
                + "\"> ]>\n"
                + "<settings>\n"
                + "  <setting id=\"data_name\">&xxe;</setting>\n"
                + "  <setting id=\"token\" value=\"&xxe;\" />\n"
                + "</settings>\n");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Settings.load(file));

    assertTrue(e.getMessage().startsWith(invalidPrefix(file)), e.getMessage());
    assertFalse(e.getMessage().contains(secret), e.getMessage());
  }

  @Test
  void externalParameterEntityIsRejected() throws IOException {
    Path dtd = write("evil.dtd", "<!ENTITY leak \"LEAKED\">");
    Path file =
        write(
            "settings.xml",
            "<!DOCTYPE settings [ <!ENTITY % remote SYSTEM \""
                + dtd.toUri()
                + "\"> %remote; ]>\n"
                + "<settings><setting id=\"name\">&leak;</setting></settings>\n");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Settings.load(file));

    assertTrue(e.getMessage().startsWith(invalidPrefix(file)), e.getMessage());
    assertFalse(e.getMessage().contains("LEAKED"), e.getMessage());
  }

  @Test
  void anyDoctypeIsRejected() throws IOException {
    Path file =
        write(
            "settings.xml",
            "<!DOCTYPE settings [ <!ENTITY a \"aaaaaaaaaa\"> <!ENTITY b \"&a;&a;&a;&a;\"> ]>"
                + "<settings><setting id=\"name\">&b;</setting></settings>");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Settings.load(file));

    assertTrue(e.getMessage().startsWith(invalidPrefix(file)), e.getMessage());
  }

  @Test
  void toStringShowsValuesButHidesToken() throws IOException {
    String token = "s3cr3t-t0ken";
    Path file =
        write(
            "t.properties",
            "name=kodi-IPC\nhost=localhost\nport=9099\nserializer=JSON\ntoken=" + token + "\n");

    String text = Settings.load(file).toString();

    assertEquals(
        "Settings{file="
            + file
            + ", name=kodi-IPC, host=localhost, port=9099, serializer=json, token=***}",
        text);
    assertFalse(text.contains(token), text);
  }

  @Test
  void toStringWithoutValuesShowsOnlyTheFile() throws IOException {
    Path file = write("e.properties", "");

    assertEquals("Settings{file=" + file + "}", Settings.load(file).toString());
  }

  @Test
  void nullFileIsRejected() {
    NullPointerException e = assertThrows(NullPointerException.class, () -> Settings.load(null));

    assertNotNull(e.getMessage());
  }
}
