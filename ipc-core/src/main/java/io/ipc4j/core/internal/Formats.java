package io.ipc4j.core.internal;

import java.util.List;

/**
 * The names of the built-in serializers, written out here alone: payloads carry them, settings
 * files and builders choose them. Other serializers are found through {@link Serializer.Factory}.
 */
public final class Formats {
  /** JSON text, the default: what Kodi's {@code script.module.ipc} peers and grpcurl read. */
  public static final String JSON = "json";
  /** CBOR (RFC 8949): binary, byte arrays sent as they are. */
  public static final String CBOR = "cbor";
  /** Java serialization: accepted only with an allow-list of the classes it may read. */
  public static final String JAVA = "java";

  /** The serializers every peer accepts unless told otherwise. */
  public static final List<String> DEFAULTS = List.of(JSON, CBOR);

  private Formats() {}

  /**
   * Whether serializer {@code name} is off unless given an allow-list of the classes it may read,
   * because its bytes name the classes to instantiate.
   */
  public static boolean needsAllowList(String name) {
    return JAVA.equals(name);
  }
}
