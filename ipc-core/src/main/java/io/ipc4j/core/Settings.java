package io.ipc4j.core;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Connection settings from a file, as script.module.ipc's {@code add_on_id}: a Kodi add-on {@code
 * settings.xml} or a Java {@code .properties} file. Checked on load, so a bad value fails early
 * with a message naming the file, the key and the value. Immutable.
 *
 * <p>Keys: {@code data_name} (its Kodi id) or {@code name}, {@code host}, {@code port},
 * {@code serializer}, {@code token}. Other keys are ignored; blank values count as absent.
 */
public final class Settings {
  private static final String DATA_NAME = "data_name";
  private static final String NAME = "name";
  private static final String HOST = "host";
  private static final String PORT = "port";
  private static final String SERIALIZER = "serializer";
  private static final String TOKEN = "token";
  private static final Set<String> KEYS = Set.of(DATA_NAME, NAME, HOST, PORT, SERIALIZER, TOKEN);

  private static final Pattern PORT_PATTERN = Pattern.compile("[0-9]{1,5}");
  private static final Pattern SERIALIZER_PATTERN = Pattern.compile("[a-z0-9_-]+");

  private final Path file;
  private final String name;
  private final String host;
  private final OptionalInt port;
  private final String serializer;
  private final String token;

  private Settings(
      Path file, String name, String host, OptionalInt port, String serializer, String token) {
    this.file = file;
    this.name = name;
    this.host = host;
    this.port = port;
    this.serializer = serializer;
    this.token = token;
  }

  /**
   * Reads and checks a settings file: Kodi XML when the name ends with {@code .xml}, otherwise
   * Java properties.
   *
   * @throws UncheckedIOException naming the file when it cannot be read
   * @throws IllegalArgumentException naming the file (and the key and value) when it is malformed
   *     or holds a bad value
   */
  public static Settings load(Path file) {
    Objects.requireNonNull(file, "file");
    byte[] bytes = read(file);
    Map<String, String> values = isXml(file) ? parseXml(file, bytes) : parseProperties(file, bytes);

    String name = checkName(file, values, DATA_NAME);
    String plainName = checkName(file, values, NAME);
    if (name == null) {
      name = plainName;
    }
    String host = values.get(HOST);
    if (host != null && containsWhitespace(host)) {
      throw badValue(file, HOST, host, "expected a host name or address without whitespace");
    }
    OptionalInt port = OptionalInt.empty();
    String portText = values.get(PORT);
    if (portText != null) {
      if (!PORT_PATTERN.matcher(portText).matches() || Integer.parseInt(portText) > 65535) {
        throw badValue(file, PORT, portText, "expected a port number 0-65535");
      }
      port = OptionalInt.of(Integer.parseInt(portText));
    }
    String serializer = values.get(SERIALIZER);
    if (serializer != null) {
      String lower = serializer.toLowerCase(Locale.ROOT);
      if (!SERIALIZER_PATTERN.matcher(lower).matches()) {
        throw badValue(
            file, SERIALIZER, serializer, "expected a serializer name of a-z, 0-9, '_' or '-'");
      }
      serializer = lower;
    }
    return new Settings(file, name, host, port, serializer, values.get(TOKEN));
  }

  /** The file these settings were read from, as given to {@link #load}. */
  public Path file() {
    return file;
  }

  /** The name to expose or call, from {@code data_name} or else {@code name}. */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /** The host to bind or dial. */
  public Optional<String> host() {
    return Optional.ofNullable(host);
  }

  /** The TCP port, 0-65535. */
  public OptionalInt port() {
    return port;
  }

  /** The serializer name, lowercased (for example {@code json}). */
  public Optional<String> serializer() {
    return Optional.ofNullable(serializer);
  }

  /** The credential token; never shown by {@link #toString}. */
  public Optional<String> token() {
    return Optional.ofNullable(token);
  }

  /** The file and the values found, with the token masked as {@code ***} so logs stay safe. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Settings{file=").append(file);
    if (name != null) {
      s.append(", name=").append(name);
    }
    if (host != null) {
      s.append(", host=").append(host);
    }
    if (port.isPresent()) {
      s.append(", port=").append(port.getAsInt());
    }
    if (serializer != null) {
      s.append(", serializer=").append(serializer);
    }
    if (token != null) {
      s.append(", token=***");
    }
    return s.append('}').toString();
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("settings file " + file + ": cannot read: no such file", e);
    } catch (AccessDeniedException e) {
      throw new UncheckedIOException("settings file " + file + ": cannot read: access denied", e);
    } catch (IOException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new UncheckedIOException("settings file " + file + ": cannot read: " + why, e);
    }
  }

  private static boolean isXml(Path file) {
    Path fileName = file.getFileName();
    return fileName != null && fileName.toString().toLowerCase(Locale.ROOT).endsWith(".xml");
  }

  /** Reads a Kodi settings.xml, old ({@code value="…"}) or new (text content) form. */
  private static Map<String, String> parseXml(Path file, byte[] bytes) {
    Document document;
    try {
      DocumentBuilder builder = safeFactory().newDocumentBuilder();
      builder.setEntityResolver(
          (publicId, systemId) -> {
            throw new SAXException("external entities are not allowed");
          });
      builder.setErrorHandler(new StrictErrorHandler());
      document = builder.parse(new ByteArrayInputStream(bytes));
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("cannot configure a safe XML parser: " + e.getMessage(), e);
    } catch (SAXException e) {
      throw invalid(file, e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("settings file " + file + ": cannot read: " + e, e);
    }
    Element root = document.getDocumentElement();
    if (!"settings".equals(root.getTagName())) {
      throw invalid(file, "root element is <" + root.getTagName() + ">, expected <settings>");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Node node = root.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node.getNodeType() != Node.ELEMENT_NODE || !"setting".equals(node.getNodeName())) {
        continue;
      }
      Element setting = (Element) node;
      String id = setting.getAttribute("id");
      String value =
          setting.hasAttribute("value") ? setting.getAttribute("value") : setting.getTextContent();
      put(values, id, value);
    }
    return values;
  }

  /** A DOM parser that refuses DOCTYPEs, external entities and XInclude (no XXE). */
  private static DocumentBuilderFactory safeFactory() throws ParserConfigurationException {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
    factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setXIncludeAware(false);
    factory.setExpandEntityReferences(false);
    factory.setValidating(false);
    factory.setNamespaceAware(false);
    trySetAttribute(factory, XMLConstants.ACCESS_EXTERNAL_DTD);
    trySetAttribute(factory, XMLConstants.ACCESS_EXTERNAL_SCHEMA);
    return factory;
  }

  private static void trySetAttribute(DocumentBuilderFactory factory, String attribute) {
    try {
      factory.setAttribute(attribute, "");
    } catch (IllegalArgumentException e) {
      // Not every parser knows it; the features above already forbid external access.
    }
  }

  /** Reads a properties file as UTF-8, or as ISO-8859-1 when it is not valid UTF-8. */
  private static Map<String, String> parseProperties(Path file, byte[] bytes) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      text = new String(bytes, StandardCharsets.ISO_8859_1);
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(text));
    } catch (IllegalArgumentException e) {
      throw invalid(file, e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("settings file " + file + ": cannot read: " + e, e);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String key : properties.stringPropertyNames()) {
      put(values, key, properties.getProperty(key));
    }
    return values;
  }

  /** Keeps a known key with a non-blank value, trimmed; ignores the rest. */
  private static void put(Map<String, String> values, String key, String value) {
    if (KEYS.contains(key) && value != null && !value.isBlank()) {
      values.put(key, value.strip());
    }
  }

  private static String checkName(Path file, Map<String, String> values, String key) {
    String value = values.get(key);
    if (value != null && value.codePoints().allMatch(Settings::isSpace)) {
      throw badValue(file, key, value, "expected a name, not only whitespace");
    }
    return value;
  }

  private static boolean containsWhitespace(String value) {
    return value.codePoints().anyMatch(Settings::isSpace);
  }

  /** Whitespace in the wide sense, including no-break spaces that {@link String#strip} keeps. */
  private static boolean isSpace(int codePoint) {
    return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
  }

  /**
   * An error about this file's {@code key}, in the one format every settings error has: the file,
   * the key, the value and what was expected. For checks a builder adds (a client cannot dial port
   * 0, a serializer must be known).
   */
  public IllegalArgumentException badValue(String key, String value, String expected) {
    return badValue(file, key, value, expected);
  }

  private static IllegalArgumentException badValue(
      Path file, String key, String value, String expected) {
    return new IllegalArgumentException(
        "settings file " + file + ": key '" + key + "' has value '" + value + "': " + expected);
  }

  private static IllegalArgumentException invalid(Path file, String why) {
    return new IllegalArgumentException(
        "settings file " + file + ": not a valid settings file: " + why);
  }

  /** Fails on errors instead of printing them to stderr, as the default handler does. */
  private static final class StrictErrorHandler implements ErrorHandler {
    @Override
    public void warning(SAXParseException e) {}

    @Override
    public void error(SAXParseException e) throws SAXException {
      throw e;
    }

    @Override
    public void fatalError(SAXParseException e) throws SAXException {
      throw e;
    }
  }
}
