package io.ipc4j.core.internal;

import io.ipc4j.core.Limits;
import java.util.List;

/** Makes the built-in {@code java} serializer, reading only the classes its allow-list names. */
public final class JavaSerializerFactory implements Serializer.Factory {

  /** For {@link java.util.ServiceLoader}. */
  public JavaSerializerFactory() {}

  @Override
  public List<String> names() {
    return List.of(Formats.JAVA);
  }

  @Override
  public Serializer create(String name, Limits limits, List<String> javaAllowList) {
    return Formats.JAVA.equals(name) ? new JavaSerializer(javaAllowList, limits) : null;
  }
}
