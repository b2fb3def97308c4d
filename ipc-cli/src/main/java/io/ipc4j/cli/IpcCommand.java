package io.ipc4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top-level {@code ipc} command; its work is done by the subcommands. */
@Command(name = "ipc",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    synopsisSubcommandLabel = "COMMAND",
    description = {
        "Serves Java objects over gRPC and calls them: the ipc4j command line.",
        "%n'ipc serve' with no arguments serves the built-in key-value data store as kodi-IPC "
            + "on localhost:9099; 'ipc call set greeting hello cli false' then calls it, and "
            + "'ipc watch greeting cli' prints the value's changes as they happen."},
    footer = {"", "Run 'ipc COMMAND --help' for a command's options."},
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {
        "0:ok; for health: SERVING",
        "1:the remote method threw (its traceback is on stderr)",
        ExitCodes.USAGE_LINE,
        "3:the server cannot be reached; for health: NOT_SERVING; for watch: the watch ended",
        "4:any other failure: the call was refused or timed out, the server could not start"})
final class IpcCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(),
        "missing a command: serve, call, describe, health or watch");
  }
}
