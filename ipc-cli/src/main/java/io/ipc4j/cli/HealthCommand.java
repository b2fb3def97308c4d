package io.ipc4j.cli;

import io.ipc4j.client.IpcClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ipc health}: asks the standard gRPC health service whether the object is served. */
@Command(name = "health",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
        "Says whether the server serves the object: SERVING or NOT_SERVING.",
        "%nAsks the standard gRPC health service (grpc.health.v1.Health). With --wait, asks "
            + "again until it is serving or the time is up."},
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {
        "0:SERVING",
        ExitCodes.USAGE_LINE,
        "3:NOT_SERVING: the server cannot be reached or does not serve the object"})
final class HealthCommand implements Callable<Integer> {
  private static final long RETRY_MILLIS = 100;

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;
  @Mixin ClientOptions client;

  @Option(names = "--wait", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Keep asking for up to this long, e.g. 10s (default: ask once).")
  Duration wait = Duration.ZERO;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    long deadline = System.nanoTime() + wait.toNanos();
    try (IpcClient ipc = client.client(connection, spec)) {
      boolean serving = ipc.serverAvailable();
      while (!serving && System.nanoTime() - deadline < 0) {
        TimeUnit.MILLISECONDS.sleep(RETRY_MILLIS);
        serving = ipc.serverAvailable();
      }
      out.println(serving ? "SERVING" : "NOT_SERVING");
      out.flush();
      return serving ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
    }
  }
}
