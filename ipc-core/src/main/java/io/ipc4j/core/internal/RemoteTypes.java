package io.ipc4j.core.internal;

import io.ipc4j.core.Remote;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Which types travel by reference ({@link Remote} interfaces), and the ids that name references on
 * the wire: 128 random bits, so that no peer can guess another's.
 */
public final class RemoteTypes {
  private static final SecureRandom random = new SecureRandom();
  /** The length of an id: 128 bits in unpadded base64url. */
  public static final int ID_LENGTH = 22;

  private RemoteTypes() {}

  /**
   * The {@link Remote} interface {@code type} is (raw, for a parameterized one or a Jackson
   * {@code JavaType}), or null.
   */
  public static Class<?> remoteInterface(Type type) {
    Type raw = type instanceof ParameterizedType p ? p.getRawType()
        : type instanceof com.fasterxml.jackson.databind.JavaType j ? j.getRawClass() : type;
    return raw instanceof Class<?> c && c.isInterface() && c.isAnnotationPresent(Remote.class)
        ? c : null;
  }

  /** A new reference id: unpadded base64url of 128 bits from a {@link SecureRandom}. */
  public static String newId() {
    byte[] bits = new byte[16];
    random.nextBytes(bits);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
  }

  /** {@code id} as messages show it: its first characters, never the whole secret. */
  public static String shortId(String id) {
    return id.length() <= 6 ? id : id.substring(0, 6) + "…";
  }
}
