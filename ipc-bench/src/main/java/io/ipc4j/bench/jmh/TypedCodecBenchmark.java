package io.ipc4j.bench.jmh;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.ipc4j.bench.proto.v1.AddReply;
import io.ipc4j.bench.proto.v1.AddRequest;
import io.ipc4j.bench.proto.v1.EchoReply;
import io.ipc4j.bench.proto.v1.EchoRequest;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The typed service's codec for comparison with {@link CodecBenchmark}: protobuf parsing the
 * requests and writing the replies of {@code bench.v1.BenchService}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TypedCodecBenchmark {
  private byte[] addRequest;
  private final ByteString payload1k = bytes(1024, 1);
  private final ByteString payload1m = bytes(1024 * 1024, 2);
  private byte[] echo1kRequest;
  private byte[] echo1mRequest;

  /** Encodes the inputs of the parsing benchmarks. */
  @Setup
  public void setUp() {
    addRequest = AddRequest.newBuilder().setA(3).setB(4).build().toByteArray();
    echo1kRequest = EchoRequest.newBuilder().setData(payload1k).build().toByteArray();
    echo1mRequest = EchoRequest.newBuilder().setData(payload1m).build().toByteArray();
  }

  private static ByteString bytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return UnsafeByteOperations.unsafeWrap(b);
  }

  /** Server: parses add's request and reads both ints. */
  @Benchmark
  public int serverDecodeAddRequest() throws InvalidProtocolBufferException {
    AddRequest r = AddRequest.parseFrom(addRequest);
    return r.getA() + r.getB();
  }

  /** Server: parses echo's 1 KiB request. */
  @Benchmark
  public ByteString serverDecodeEcho1kRequest() throws InvalidProtocolBufferException {
    return EchoRequest.parseFrom(echo1kRequest).getData();
  }

  /** Server: parses echo's 1 MiB request. */
  @Benchmark
  public ByteString serverDecodeEcho1mRequest() throws InvalidProtocolBufferException {
    return EchoRequest.parseFrom(echo1mRequest).getData();
  }

  /** Server: writes add's reply. */
  @Benchmark
  public byte[] serverEncodeAddReply() {
    return AddReply.newBuilder().setSum(7).build().toByteArray();
  }

  /** Server: writes echo's 1 KiB reply. */
  @Benchmark
  public byte[] serverEncodeEcho1kReply() {
    return EchoReply.newBuilder().setData(payload1k).build().toByteArray();
  }

  /** Server: writes echo's 1 MiB reply. */
  @Benchmark
  public byte[] serverEncodeEcho1mReply() {
    return EchoReply.newBuilder().setData(payload1m).build().toByteArray();
  }
}
