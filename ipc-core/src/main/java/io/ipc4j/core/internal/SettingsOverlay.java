package io.ipc4j.core.internal;

import io.ipc4j.core.Settings;
import java.nio.file.Path;
import java.util.List;

/**
 * What a builder's connection values become once a settings file is applied: the file's values
 * supersede the builder's (as script.module.ipc's {@code add_on_id} does), and are checked the
 * same way for server, client and the {@code ipc} command, with errors naming file, key and value.
 *
 * @param name the default object's name
 * @param host the host to bind or dial
 * @param port the port to bind or dial
 * @param serializer the serializer a client writes with, or the one a server accepts; null when
 *     neither the builder nor the file names one
 * @param token the bearer token, or null
 * @param addressFromFile whether the file gave a host or a port (which supersedes a client's
 *     target)
 */
public record SettingsOverlay(String name, String host, int port, String serializer, String token,
    boolean addressFromFile) {

  /**
   * The builder's values with {@code file}'s on top; the builder's values alone when {@code file}
   * is null.
   *
   * @param dialling whether a client will dial the port (port 0 is then refused)
   * @param javaAllowList the classes Java serialization may read (it is off when empty)
   * @throws IllegalArgumentException for a file that cannot be read or a bad value, naming the
   *     file, the key and the value
   */
  public static SettingsOverlay apply(Path file, String name, String host, int port,
      String serializer, String token, boolean dialling, List<String> javaAllowList) {
    if (file == null) {
      return new SettingsOverlay(name, host, port, serializer, token, false);
    }
    Settings s = Settings.load(file);
    if (dialling && s.port().isPresent() && s.port().getAsInt() == 0) {
      throw s.badValue("port", "0", "expected a port number 1-65535");
    }
    String chosen = serializer;
    if (s.serializer().isPresent()) {
      chosen = Serializers.fromSettings(s, s.serializer().get(), javaAllowList);
    }
    return new SettingsOverlay(s.name().orElse(name), s.host().orElse(host),
        s.port().orElse(port), chosen, s.token().orElse(token),
        s.host().isPresent() || s.port().isPresent());
  }
}
