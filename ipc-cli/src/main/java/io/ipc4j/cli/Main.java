package io.ipc4j.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code ipc} command: {@code serve}, {@code call}, {@code describe}, {@code health} and
 * {@code watch}. See
 * {@code docs/cli.md}, or run {@code ipc --help}.
 */
public final class Main {
  private Main() {}

  /**
   * Runs the command that {@code args} name and exits the JVM with its exit code: 0 ok, 1 the
   * remote method threw, 2 usage error, 3 unavailable, 4 any other failure.
   */
  public static void main(String[] args) {
    System.exit(commandLine(ShutdownHooks.runtime()).execute(args));
  }

  /**
   * The {@code ipc} command line; {@code serve} and {@code watch} register their stop hooks with
   * {@code hooks}.
   */
  static CommandLine commandLine(ShutdownHooks hooks) {
    CommandLine cl = new CommandLine(new IpcCommand())
        .addSubcommand(new ServeCommand(hooks))
        .addSubcommand(new CallCommand())
        .addSubcommand(new DescribeCommand())
        .addSubcommand(new HealthCommand())
        .addSubcommand(new WatchCommand(hooks));
    // "@word" is an argument like any other, never a file to read arguments from.
    cl.setExpandAtFiles(false);
    cl.setParameterExceptionHandler(Main::usageError);
    cl.setExecutionExceptionHandler(Main::failed);
    return cl;
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("ipc: " + message(e));
    UnmatchedArgumentException.printSuggestions(e, err);
    if (e instanceof UnmatchedArgumentException && cmd.getCommandSpec().name().equals("call")) {
      err.println("To pass an argument that starts with '-', put -- before the arguments: "
          + "ipc call METHOD -- ARG...");
    }
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more.");
    err.flush();
    return ExitCodes.USAGE;
  }

  /**
   * What was wrong, in picocli's words, except for arguments nothing takes: picocli counts those
   * from 0, so they are named instead.
   */
  private static String message(ParameterException e) {
    if (!(e instanceof UnmatchedArgumentException u) || u.isUnknownOption()
        || u.getUnmatched().isEmpty()) {
      return e.getMessage();
    }
    CommandSpec spec = e.getCommandLine().getCommandSpec();
    String given = u.getUnmatched().stream().map(a -> "'" + a + "'")
        .collect(Collectors.joining(", "));
    if (spec.parent() == null) {
      return "unknown command '" + u.getUnmatched().get(0) + "'; the commands are "
          + String.join(", ", spec.subcommands().keySet());
    }
    if (spec.positionalParameters().isEmpty()) {
      return spec.name() + " takes no arguments, but was given " + given;
    }
    return "unexpected argument" + (u.getUnmatched().size() == 1 ? " " : "s ") + given;
  }

  private static int failed(Exception e, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    if (e instanceof IllegalArgumentException || e instanceof UncheckedIOException) {
      // bad option values, settings files and class names, as the builders and Settings report
      err.println("ipc: " + e.getMessage());
      err.flush();
      return ExitCodes.USAGE;
    }
    err.println("ipc: " + cmd.getCommandSpec().qualifiedName() + " failed: " + e);
    e.printStackTrace(err);
    err.flush();
    return ExitCodes.FAILED;
  }
}
