package io.ipc4j.core.internal;

import io.ipc4j.core.Limits;
import java.util.List;

/** Makes the built-in Jackson serializers: {@code json} and {@code cbor}. */
public final class JacksonSerializerFactory implements Serializer.Factory {

  /** For {@link java.util.ServiceLoader}. */
  public JacksonSerializerFactory() {}

  @Override
  public List<String> names() {
    return Formats.DEFAULTS;
  }

  @Override
  public Serializer create(String name, Limits limits, List<String> javaAllowList) {
    return switch (name) {
      case Formats.JSON -> new JacksonSerializer(name, Mappers.json(limits), limits);
      case Formats.CBOR -> new JacksonSerializer(name, Mappers.cbor(limits), limits);
      default -> null;
    };
  }
}
