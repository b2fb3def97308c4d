package io.ipc4j.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcException;
import io.ipc4j.client.RemoteMethod;
import io.ipc4j.proto.v1.DescribeResponse;
import io.ipc4j.proto.v1.MethodDescription;
import io.ipc4j.proto.v1.ObjectDescription;
import io.ipc4j.proto.v1.ParameterDescription;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ipc describe}: lists the exposed objects and their method signatures, from the server's
 * {@code Describe} RPC, which answers for every object at once when asked for none.
 */
@Command(name = "describe",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
        "Lists the exposed objects and their methods' signatures.",
        "%nWithout --name, every object the server exposes; with --name, just that object."},
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {
        "0:ok: the description is on stdout",
        ExitCodes.USAGE_LINE,
        ExitCodes.UNAVAILABLE_LINE,
        "4:it failed otherwise: no such object, refused token, deadline exceeded"})
final class DescribeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;
  @Mixin ClientOptions client;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean one = spec.commandLine().getParseResult().hasMatchedOption("--name");
    DescribeResponses responses = new DescribeResponses();
    try (IpcClient ipc = client.client(connection, spec, responses)) {
      try {
        // An empty name asks for every object; the client keeps only the named one's methods.
        ipc.getExposedObject(one ? ipc.name() : "").methods();
      } catch (IpcException e) {
        return report(e, ipc, err);
      }
    }
    print(responses.last(), out);
    out.flush();
    return ExitCodes.OK;
  }

  private static void print(DescribeResponse response, PrintWriter out) {
    boolean first = true;
    for (ObjectDescription o : response.getObjectsList()) {
      if (!first) {
        out.println();
      }
      first = false;
      out.println(o.getName() + ": " + o.getType()
          + (o.getName().equals(response.getDefaultObject()) ? " (default object)" : ""));
      for (MethodDescription m : o.getMethodsList()) {
        out.println("  " + method(m) + (m.getOneway() ? "  [oneway]" : "")
            + (m.getStreaming() ? "  [streaming]" : ""));
      }
    }
  }

  private static RemoteMethod method(MethodDescription m) {
    List<ParameterDescription> parameters = m.getParametersList();
    return new RemoteMethod(m.getName(),
        parameters.stream().map(ParameterDescription::getName).toList(),
        parameters.stream().map(ParameterDescription::getType).toList(),
        m.getReturnType(), List.copyOf(m.getExceptionsList()), m.getOneway(), m.getStreaming());
  }

  private static int report(IpcException e, IpcClient ipc, PrintWriter err) {
    Status status = e.getCause() instanceof StatusRuntimeException cause ? cause.getStatus()
        : Status.fromCode(e.getStatusCode()).withDescription(e.getMessage());
    String description = status.getDescription() == null ? "" : ": " + status.getDescription();
    switch (status.getCode()) {
      case UNAVAILABLE -> {
        err.println(CallFailures.unreachable(ipc, e));
        err.flush();
        return ExitCodes.UNAVAILABLE;
      }
      case UNIMPLEMENTED -> err.println("ipc: " + ipc.target()
          + " does not serve ipc.v1.InvokeService" + description);
      default -> err.println("ipc: describe " + ipc.name() + " at " + ipc.target() + " failed: "
          + status.getCode() + description);
    }
    err.flush();
    return ExitCodes.FAILED;
  }
}
