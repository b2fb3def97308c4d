package io.ipc4j.core.internal;

import java.lang.reflect.Type;
import java.util.List;

/**
 * Turns arguments and results into bytes and back. Arguments are read in two steps, so that a
 * server can count them and pick an overload before it converts each to a parameter's type.
 */
public interface Serializer {

  /** The name a request's payload carries, such as {@code json}. */
  String name();

  /**
   * Reads an encoded argument array into one opaque item per argument.
   *
   * @throws IllegalArgumentException when the bytes are not an array of this format or break a
   *     limit; the message says what was wrong
   */
  List<Object> readArguments(byte[] data);

  /**
   * Converts one item from {@link #readArguments} (or a JSON tree) to {@code type}.
   *
   * @throws IllegalArgumentException when it does not fit; the message says why
   */
  Object convert(Object argument, Type type);

  /** Writes the arguments as one array. */
  byte[] writeArguments(Object[] args);

  /**
   * Writes one value, a result, as {@code type}: the type its method declares, so that a value
   * declared as an interface or base class sends only that type's properties (Java serialization,
   * by its nature, writes the whole object).
   *
   * @throws SerializationException when the value cannot be written
   */
  byte[] writeValue(Object value, Type type);

  /**
   * Reads one value written by {@link #writeValue} as {@code type}.
   *
   * @throws SerializationException when the bytes do not hold a {@code type}
   */
  Object readValue(byte[] data, Type type);
}
