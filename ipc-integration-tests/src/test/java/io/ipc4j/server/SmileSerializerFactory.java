package io.ipc4j.server;

import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import io.ipc4j.core.Limits;
import io.ipc4j.core.internal.JacksonSerializer;
import io.ipc4j.core.internal.Mappers;
import io.ipc4j.core.internal.Serializer;
import java.util.List;

/**
 * A serializer that only these tests register (in {@code META-INF/services}): Smile, Jackson's
 * binary JSON, bounded and configured as json and cbor are. Server and client find it by name
 * as they find the built-in ones.
 */
public final class SmileSerializerFactory implements Serializer.Factory {
  /** The name payloads carry. */
  static final String SMILE = "smile";

  /** For {@link java.util.ServiceLoader}. */
  public SmileSerializerFactory() {}

  @Override
  public List<String> names() {
    return List.of(SMILE);
  }

  @Override
  public Serializer create(String name, Limits limits, List<String> javaAllowList) {
    return SMILE.equals(name)
        ? JacksonSerializer.of(SMILE, Mappers.of(SmileFactory.builder(), limits), limits) : null;
  }
}
