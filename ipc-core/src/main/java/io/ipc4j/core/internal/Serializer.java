package io.ipc4j.core.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.ipc4j.core.Limits;
import java.lang.reflect.Type;
import java.util.List;

/**
 * Turns arguments and results into bytes and back. Arguments are read in two steps, so that a
 * server can count them and pick an overload before it converts each to a parameter's type.
 *
 * <p>A serializer owns its format: servers and clients ask it, never test which one it is. The
 * {@code ByteString} methods, {@link #plan} and {@link #fit} have defaults that any format
 * satisfies; a format overrides them to read and write payloads where they lie, or to read a
 * method's arguments straight into its parameters. Serializers are made by {@link Factory}s,
 * found with {@link java.util.ServiceLoader}, built-in and others alike.
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
   * {@link #readArguments(byte[])} of a payload as it arrived: same limits, same messages. The
   * default copies the bytes out; a format that reads a {@code ByteString} where it lies
   * overrides it.
   *
   * @throws IllegalArgumentException as {@link #readArguments(byte[])}
   */
  default List<Object> readArguments(ByteString data) {
    return readArguments(data.toByteArray());
  }

  /**
   * Converts one item from {@link #readArguments} (or a JSON tree) to {@code type}.
   *
   * @throws IllegalArgumentException when it does not fit; the message says why
   */
  Object convert(Object argument, Type type);

  /**
   * How well one item from {@link #readArguments} fits a parameter of class {@code parameter},
   * for choosing among overloads that all accept it: more is better, 0 is neutral. The default
   * is neutral: every accepting overload fits as well, and a call that several accept is
   * ambiguous.
   */
  default int fit(Object argument, Class<?> parameter) {
    return 0;
  }

  /**
   * What this serializer prepares once for a method's parameters so that {@link
   * #readArguments(ByteString, ArgumentPlan)} reads its arguments straight into their types;
   * null when it has no such path for them (the default). Callers keep the plan per method.
   */
  default ArgumentPlan plan(Type[] parameterTypes) {
    return null;
  }

  /**
   * The arguments of a method, read with its {@link #plan}, already of the parameters' types;
   * null whenever that path does not take the payload as it is (the default): the caller then
   * reads it with {@link #readArguments} and {@link #convert}, which give the same values and
   * explain every failure.
   */
  default Object[] readArguments(ByteString data, ArgumentPlan plan) {
    return null;
  }

  /** Writes the arguments as one array. */
  byte[] writeArguments(Object[] args);

  /**
   * {@link #writeArguments} as a {@code ByteString}. The result may share a {@code byte[]}
   * argument rather than copy it: use it only when the caller cannot change its arrays before
   * the bytes are sent.
   *
   * @throws SerializationException as {@link #writeArguments}
   */
  default ByteString writeArgumentBytes(Object[] args) {
    return UnsafeByteOperations.unsafeWrap(writeArguments(args));
  }

  /**
   * Writes one value, a result, as {@code type}: the type its method declares, so that a value
   * declared as an interface or base class sends only that type's properties (Java serialization,
   * by its nature, writes the whole object).
   *
   * @throws SerializationException when the value cannot be written
   */
  byte[] writeValue(Object value, Type type);

  /**
   * {@link #writeValue} as a {@code ByteString}; like {@link #writeArgumentBytes}, it may share
   * a {@code byte[]} value rather than copy it.
   *
   * @throws SerializationException when the value cannot be written
   */
  default ByteString writeValueBytes(Object value, Type type) {
    return UnsafeByteOperations.unsafeWrap(writeValue(value, type));
  }

  /**
   * Reads one value written by {@link #writeValue} as {@code type}.
   *
   * @throws SerializationException when the bytes do not hold a {@code type}
   */
  Object readValue(byte[] data, Type type);

  /**
   * {@link #readValue(byte[], Type)} of a payload as it arrived: same limits, same messages. The
   * default copies the bytes out.
   *
   * @throws SerializationException when the bytes do not hold a {@code type}
   */
  default Object readValue(ByteString data, Type type) {
    return readValue(data.toByteArray(), type);
  }

  /**
   * What a serializer prepared for one method's parameters ({@link #plan}): opaque to the
   * caller, who keeps it and hands it back with each call's payload.
   */
  interface ArgumentPlan {}

  /**
   * Makes serializers by name: the way every serializer, built-in or not, is found. Factories
   * are listed in {@code META-INF/services/io.ipc4j.core.internal.Serializer$Factory} and loaded
   * with {@link java.util.ServiceLoader}; they need a public no-argument constructor.
   */
  interface Factory {

    /** The names this factory makes, for messages that list the known serializers. */
    List<String> names();

    /**
     * The serializer called {@code name}, bounded by {@code limits}; null when {@code name} is
     * not one of this factory's. {@code javaAllowList} names the classes a serializer that
     * instantiates named classes may read (see {@link Formats#needsAllowList}).
     *
     * @throws IllegalArgumentException when the name is this factory's but the settings are bad
     */
    Serializer create(String name, Limits limits, List<String> javaAllowList);
  }
}
