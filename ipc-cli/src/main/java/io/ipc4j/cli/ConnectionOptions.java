package io.ipc4j.cli;

import io.ipc4j.core.IpcDefaults;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options every command shares: {@code --name --host --port --settings --token}. They go to
 * the server or client builder as they are; the builder applies the settings file, so that its
 * errors name the file, the key and the value, as the library reports them.
 */
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

  /** The token from {@code --token} or {@code IPC_TOKEN}, or null for none. */
  String token() {
    return token == null || token.isEmpty() ? null : token;
  }
}
