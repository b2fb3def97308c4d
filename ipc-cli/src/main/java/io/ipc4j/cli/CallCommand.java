package io.ipc4j.cli;

import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ipc call METHOD ARG...}: calls one method and prints its result as JSON. */
@Command(name = "call",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
        "Calls a method and prints its result as JSON.",
        "%nEach ARG is read as JSON; a word that is not valid JSON is taken as a string, so "
            + "'ipc call set greeting hello cli false' sends [\"greeting\",\"hello\",\"cli\","
            + "false]. Quote a JSON string to keep it a string: '\"42\"'. Put -- before "
            + "arguments that start with '-' and are not numbers."},
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {
        "0:ok: the result is on stdout",
        "1:the remote method threw: its traceback is on stderr",
        ExitCodes.USAGE_LINE,
        ExitCodes.UNAVAILABLE_LINE,
        ExitCodes.FAILED_LINE})
final class CallCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;
  @Mixin ClientOptions client;

  @Parameters(index = "0", paramLabel = "METHOD", description = "The method to call.")
  String method;

  @Parameters(index = "1..*", paramLabel = "ARG", description = "The arguments, as JSON or words.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Object[] values = args.stream().map(JsonText::argument).toArray();
    try (IpcClient ipc = client.client(connection, spec)) {
      try {
        Object result = ipc.getExposedObject().call(method, values);
        out.println(JsonText.print(result));
        out.flush();
        return ExitCodes.OK;
      } catch (IpcException e) {
        return CallFailures.report(e, ipc, method, client.deadline, err);
      }
    }
  }
}
