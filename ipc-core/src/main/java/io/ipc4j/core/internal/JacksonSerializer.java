package io.ipc4j.core.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/** A {@link Serializer} over a Jackson mapper: JSON or CBOR. */
public final class JacksonSerializer implements Serializer {
  private final String name;
  private final ObjectMapper mapper;
  private final ObjectReader treeReader;
  private final int maxArguments;

  JacksonSerializer(String name, ObjectMapper mapper, int maxArguments) {
    this.name = name;
    this.mapper = mapper;
    // Reads one element of the array at a time: what follows it is the next element.
    this.treeReader = mapper.readerFor(JsonNode.class)
        .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    this.maxArguments = maxArguments;
  }

  @Override
  public String name() {
    return name;
  }

  /** The mapper, for converting JSON trees that arrive outside a payload. */
  public ObjectMapper mapper() {
    return mapper;
  }

  @Override
  public List<Object> readArguments(byte[] data) {
    try (JsonParser parser = mapper.createParser(data)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw new IllegalArgumentException("arguments must be a " + name + " array");
      }
      List<Object> items = new ArrayList<>();
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        if (items.size() == maxArguments) {
          throw new IllegalArgumentException("more than " + maxArguments + " arguments");
        }
        items.add(treeReader.readValue(parser));
      }
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException("trailing data after the " + name + " argument array");
      }
      return items;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed " + name + " arguments: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable " + name + " arguments: " + e.getMessage(), e);
    }
  }

  @Override
  public Object convert(Object argument, Type type) {
    JavaType javaType = mapper.getTypeFactory().constructType(type);
    try {
      return mapper.treeToValue((JsonNode) argument, javaType);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(rootMessage(e), e);
    }
  }

  @Override
  public byte[] writeArguments(Object[] args) {
    try {
      return mapper.writeValueAsBytes(args == null ? new Object[0] : args);
    } catch (JsonProcessingException e) {
      throw new SerializationException(
          "arguments cannot be written as " + name + ": " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public byte[] writeValue(Object value, Type type) {
    try {
      return mapper.writerFor(mapper.getTypeFactory().constructType(type)).writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new SerializationException(
          "a " + describe(value) + " cannot be written as " + name + ": " + e.getOriginalMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "a " + describe(value) + " cannot be written as " + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Object readValue(byte[] data, Type type) {
    try {
      return mapper.readValue(data, mapper.getTypeFactory().constructType(type));
    } catch (JsonProcessingException e) {
      throw new SerializationException(
          "cannot read a " + type.getTypeName() + " from " + name + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new SerializationException(
          "cannot read a " + type.getTypeName() + " from " + name + ": " + e.getMessage(), e);
    }
  }

  private static String describe(Object value) {
    return value == null ? "null" : value.getClass().getName();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t instanceof JsonProcessingException j ? j.getOriginalMessage() : String.valueOf(t.getMessage());
  }
}
