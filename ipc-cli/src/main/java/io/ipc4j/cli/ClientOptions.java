package io.ipc4j.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The options of the commands that call a server: {@code --serializer} and {@code --deadline}. */
final class ClientOptions {
  @Option(names = "--serializer", paramLabel = "NAME",
      description = "How arguments and results travel: json or cbor (default: ${DEFAULT-VALUE}).")
  String serializer = "json";

  @Option(names = "--deadline", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long the call may take, e.g. 500ms, 30s, 2m (default: 30s).")
  Duration deadline = Duration.ofSeconds(30);
}
