package io.ipc4j.datastore;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form of stored entries, for the persistence file and for {@code saveData}:
 * {@code {"format":"ipc4j-datastore","version":1,"authors":{author:{name:{"value":v,"ts":t,
 * "persist":p}}}}}.
 */
final class StoreCodec {
  static final String FORMAT = "ipc4j-datastore";
  static final int VERSION = 1;

  private final ObjectMapper mapper;

  StoreCodec(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** A file's content is not a data store file. */
  static final class BadFileException extends Exception {
    private static final long serialVersionUID = 1L;

    BadFileException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  byte[] write(Map<String, Map<String, Stored>> authors) {
    ObjectNode root = mapper.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    ObjectNode all = root.putObject("authors");
    for (Map.Entry<String, Map<String, Stored>> author : new TreeMap<>(authors).entrySet()) {
      ObjectNode names = all.putObject(author.getKey());
      for (Map.Entry<String, Stored> e : new TreeMap<>(author.getValue()).entrySet()) {
        ObjectNode entry = names.putObject(e.getKey());
        entry.set("value", mapper.valueToTree(e.getValue().value()));
        entry.put("ts", e.getValue().ts());
        entry.put("persist", e.getValue().persist());
      }
    }
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot write stored values as JSON: " + e.getMessage(), e);
    }
  }

  /**
   * One entry as a file holds it.
   *
   * @param value the value, a JSON-shaped Java value
   */
  record Saved(String author, String name, Object value, long ts, boolean persist) {}

  /**
   * What a file holds: the entries that could be read, and why the others could not, each
   * problem naming its entry.
   */
  record Content(List<Saved> entries, List<String> problems) {}

  /**
   * The entries in {@code bytes}, in file order, and the problems of the entries that cannot be
   * read.
   *
   * @throws BadFileException when {@code bytes} are not a data store file at all
   */
  Content read(byte[] bytes) throws BadFileException {
    JsonNode root;
    try {
      root = mapper.readTree(bytes);
    } catch (JacksonException e) {
      throw new BadFileException("not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException("reading bytes in memory failed", e);
    }
    if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText(null))) {
      throw new BadFileException("no \"format\": \"" + FORMAT + "\" at the top", null);
    }
    if (root.path("version").asInt(-1) != VERSION) {
      throw new BadFileException("unknown version " + root.path("version")
          + "; this ipc4j reads version " + VERSION, null);
    }
    JsonNode authors = root.path("authors");
    if (!authors.isObject()) {
      throw new BadFileException("\"authors\" is not an object", null);
    }
    List<Saved> entries = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, JsonNode> author : authors.properties()) {
      if (!author.getValue().isObject()) {
        problems.add("author '" + Bounds.shown(author.getKey()) + "' is not an object");
        continue;
      }
      for (Map.Entry<String, JsonNode> e : author.getValue().properties()) {
        String problem = saved(author.getKey(), e.getKey(), e.getValue(), entries);
        if (problem != null) {
          problems.add(problem);
        }
      }
    }
    return new Content(entries, problems);
  }

  /** Adds the entry in {@code node} to {@code entries}; answers why it cannot, or null. */
  private String saved(String author, String name, JsonNode node, List<Saved> entries) {
    String which = "entry '" + Bounds.shown(name) + "' of author '" + Bounds.shown(author) + "'";
    JsonNode ts = node.path("ts");
    JsonNode persist = node.path("persist");
    if (!node.isObject() || !node.has("value") || !ts.canConvertToLong() || !ts.isIntegralNumber()
        || !persist.isBoolean()) {
      return which + " needs \"value\", an integer \"ts\" and a boolean \"persist\"";
    }
    try {
      entries.add(new Saved(author, name, mapper.treeToValue(node.get("value"), Object.class),
          ts.asLong(), persist.asBoolean()));
      return null;
    } catch (JacksonException e) {
      return which + ": " + e.getOriginalMessage();
    }
  }
}
