package io.ipc4j.cli;

import io.ipc4j.core.IpcDefaults;
import io.ipc4j.core.Settings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command shares: {@code --name --host --port --settings --token}. */
final class ConnectionOptions {
  @Option(names = "--name", paramLabel = "NAME",
      description = "The object's name (default: ${DEFAULT-VALUE}).")
  String name = IpcDefaults.NAME;

  @Option(names = "--host", paramLabel = "HOST",
      description = "The host to dial or bind (default: ${DEFAULT-VALUE}).")
  String host = IpcDefaults.HOST;

  @Option(names = "--port", paramLabel = "PORT",
      description = "The TCP port (default: ${DEFAULT-VALUE}).")
  int port = IpcDefaults.PORT;

  @Option(names = "--settings", paramLabel = "FILE",
      description = "Read name, host, port, serializer and token from a Kodi settings.xml or a "
          + ".properties file; its values supersede the options.")
  Path settings;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:IPC_TOKEN}",
      description = "A shared secret, sent or required as 'authorization: Bearer TOKEN' "
          + "(default: the IPC_TOKEN environment variable).")
  String token;

  /**
   * The connection these options and the settings file describe; the file's values win.
   *
   * @param serializer the serializer asked for on the command line, or null
   * @throws IllegalArgumentException naming the file, key and value when the file is bad
   * @throws java.io.UncheckedIOException naming the file when it cannot be read
   */
  Connection resolve(String serializer) {
    String n = name;
    String h = host;
    int p = port;
    String t = token == null || token.isEmpty() ? null : token;
    String s = serializer;
    if (settings != null) {
      Settings file = Settings.load(settings);
      n = file.name().orElse(n);
      h = file.host().orElse(h);
      p = file.port().orElse(p);
      t = file.token().orElse(t);
      s = file.serializer().orElse(s);
    }
    return new Connection(n, h, p, t, s);
  }
}
