package io.ipc4j.bench;

import io.grpc.stub.StreamObserver;
import io.ipc4j.bench.proto.v1.AddReply;
import io.ipc4j.bench.proto.v1.AddRequest;
import io.ipc4j.bench.proto.v1.BenchServiceGrpc;
import io.ipc4j.bench.proto.v1.EchoReply;
import io.ipc4j.bench.proto.v1.EchoRequest;

/**
 * The hand-written typed gRPC service: what a grpc-java user writes for the same two calls.
 * Public for the JMH benchmarks.
 */
public final class GrpcBenchService extends BenchServiceGrpc.BenchServiceImplBase {
  /** Creates the service. */
  public GrpcBenchService() {}

  @Override
  public void add(AddRequest request, StreamObserver<AddReply> responses) {
    responses.onNext(AddReply.newBuilder().setSum(request.getA() + request.getB()).build());
    responses.onCompleted();
  }

  @Override
  public void echo(EchoRequest request, StreamObserver<EchoReply> responses) {
    responses.onNext(EchoReply.newBuilder().setData(request.getData()).build());
    responses.onCompleted();
  }
}
