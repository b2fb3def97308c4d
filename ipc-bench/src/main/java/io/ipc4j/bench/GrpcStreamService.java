package io.ipc4j.bench;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.ipc4j.bench.proto.v1.AddReply;
import io.ipc4j.bench.proto.v1.Answer;
import io.ipc4j.bench.proto.v1.BenchStreamServiceGrpc;
import io.ipc4j.bench.proto.v1.Call;
import io.ipc4j.bench.proto.v1.EchoReply;
import java.util.concurrent.Executor;

/**
 * The hand-written typed gRPC service that takes calls as messages on one long-lived stream per
 * client, as ipc4j's sessions do, without anything generic: the ceiling of that approach in
 * grpc-java. Each call is answered on the thread that delivered it (the transport thread, on a
 * server built with {@code directExecutor()}), or handed to a pool, as methods that may block
 * need; pool threads then write their answers one at a time.
 */
final class GrpcStreamService extends BenchStreamServiceGrpc.BenchStreamServiceImplBase {
  private final Executor pool;

  /** Answers on the delivering thread when {@code pool} is null, else on {@code pool}. */
  GrpcStreamService(Executor pool) {
    this.pool = pool;
  }

  @Override
  public StreamObserver<Call> calls(StreamObserver<Answer> answers) {
    ServerCallStreamObserver<Answer> stream = (ServerCallStreamObserver<Answer>) answers;
    // Answers after the client went away are dropped instead of thrown at the pool.
    stream.setOnCancelHandler(() -> { });
    return pool == null ? new Inline(stream) : new Pooled(stream, pool);
  }

  /** The answer of {@code call}, or null when it is neither add nor echo. */
  static Answer answer(Call call) {
    Answer.Builder a = Answer.newBuilder().setId(call.getId());
    return switch (call.getCallCase()) {
      case ADD -> a.setAdd(AddReply.newBuilder()
          .setSum(call.getAdd().getA() + call.getAdd().getB())).build();
      case ECHO -> a.setEcho(EchoReply.newBuilder().setData(call.getEcho().getData())).build();
      case CALL_NOT_SET -> null;
    };
  }

  private static RuntimeException badCall(Call call) {
    return Status.INVALID_ARGUMENT.withDescription("call " + call.getId()
        + " is neither add nor echo").asRuntimeException();
  }

  /** Answers each call at once, on the one thread that delivers this stream's messages. */
  private static final class Inline implements StreamObserver<Call> {
    private final ServerCallStreamObserver<Answer> answers;

    Inline(ServerCallStreamObserver<Answer> answers) {
      this.answers = answers;
    }

    @Override
    public void onNext(Call call) {
      Answer a = answer(call);
      if (a == null) {
        answers.onError(badCall(call));
      } else {
        answers.onNext(a);
      }
    }

    @Override
    public void onError(Throwable t) {
      // the client cancelled: nothing is left to answer
    }

    @Override
    public void onCompleted() {
      answers.onCompleted();
    }
  }

  /**
   * Hands each call to the pool; the pool's threads write their answers one at a time, and the
   * stream completes once the client has half-closed and every call is answered.
   */
  private static final class Pooled implements StreamObserver<Call> {
    private final ServerCallStreamObserver<Answer> answers;
    private final Executor pool;
    private int pending; // guarded by this
    private boolean halfClosed; // guarded by this
    private boolean ended; // guarded by this

    Pooled(ServerCallStreamObserver<Answer> answers, Executor pool) {
      this.answers = answers;
      this.pool = pool;
    }

    @Override
    public void onNext(Call call) {
      synchronized (this) {
        pending++;
      }
      pool.execute(() -> reply(call));
    }

    private void reply(Call call) {
      Answer a = answer(call);
      synchronized (this) {
        pending--;
        if (ended) {
          return;
        }
        if (a == null) {
          ended = true;
          answers.onError(badCall(call));
          return;
        }
        answers.onNext(a);
        if (pending == 0 && halfClosed) {
          ended = true;
          answers.onCompleted();
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      synchronized (this) {
        ended = true; // the client cancelled: answers still running are dropped
      }
    }

    @Override
    public void onCompleted() {
      synchronized (this) {
        halfClosed = true;
        if (pending == 0 && !ended) {
          ended = true;
          answers.onCompleted();
        }
      }
    }
  }
}
