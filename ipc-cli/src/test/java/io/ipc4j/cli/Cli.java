package io.ipc4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/** Runs the {@code ipc} command in-process with captured stdout and stderr. */
final class Cli {
  private Cli() {}

  /** What one run printed and returned. */
  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** Runs {@code args}; {@code serve} must not be run this way unless it fails to start. */
  static Result run(String... args) {
    return run(hook -> {
      throw new AssertionError("serve started; use Serving");
    }, args);
  }

  static Result run(ShutdownHooks hooks, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = commandLine(hooks, new PrintWriter(out, true), new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, normalize(out.toString()), normalize(err.toString()));
  }

  static CommandLine commandLine(ShutdownHooks hooks, PrintWriter out, PrintWriter err) {
    CommandLine cl = Main.commandLine(hooks);
    cl.setColorScheme(CommandLine.Help.defaultColorScheme(Ansi.OFF));
    cl.setOut(out);
    cl.setErr(err);
    return cl;
  }

  static String normalize(String text) {
    return text.replace(System.lineSeparator(), "\n");
  }
}
