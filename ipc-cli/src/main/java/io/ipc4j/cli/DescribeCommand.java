package io.ipc4j.cli;

import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.ipc4j.client.RemoteMethod;
import io.ipc4j.proto.v1.DescribeRequest;
import io.ipc4j.proto.v1.DescribeResponse;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.proto.v1.MethodDescription;
import io.ipc4j.proto.v1.ObjectDescription;
import io.ipc4j.proto.v1.ParameterDescription;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ipc describe}: lists the exposed objects and their method signatures, from the server's
 * {@code Describe} RPC. It asks over its own channel, since {@code IpcClient} describes only one
 * object at a time and cannot list them all.
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
  private static final int MAX_METADATA_SIZE = 8 * 1024;
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;
  @Mixin ClientOptions client;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Connection where = connection.resolve(client.serializer);
    boolean one = spec.commandLine().getParseResult().hasMatchedOption("--name");
    DescribeResponse response;
    ManagedChannel channel = NettyChannelBuilder.forTarget(where.address(),
            InsecureChannelCredentials.create())
        .maxInboundMetadataSize(MAX_METADATA_SIZE)
        .build();
    try {
      InvokeServiceGrpc.InvokeServiceBlockingStub stub = InvokeServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(client.deadline.toNanos(), TimeUnit.NANOSECONDS);
      if (where.token() != null) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + where.token());
        stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
      }
      response = stub.describe(
          DescribeRequest.newBuilder().setObject(one ? where.name() : "").build());
    } catch (StatusRuntimeException e) {
      return report(e, where, err);
    } finally {
      channel.shutdownNow();
    }
    print(response, out);
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

  private static int report(StatusRuntimeException e, Connection where, PrintWriter err) {
    Status status = e.getStatus();
    String description = status.getDescription() == null ? "" : ": " + status.getDescription();
    switch (status.getCode()) {
      case UNAVAILABLE -> {
        err.println("ipc: cannot reach " + where + ": " + CallFailures.rootMessage(e));
        err.flush();
        return ExitCodes.UNAVAILABLE;
      }
      case UNIMPLEMENTED -> err.println("ipc: " + where.address()
          + " does not serve ipc.v1.InvokeService" + description);
      default -> err.println("ipc: describe " + where + " failed: " + status.getCode()
          + description);
    }
    err.flush();
    return ExitCodes.FAILED;
  }
}
