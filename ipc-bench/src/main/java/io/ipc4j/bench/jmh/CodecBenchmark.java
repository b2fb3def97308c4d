package io.ipc4j.bench.jmh;

import io.ipc4j.core.Limits;
import io.ipc4j.core.internal.Serializer;
import io.ipc4j.core.internal.Serializers;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * ipc4j's serializers as the server uses them (read the argument array, convert each argument to
 * its parameter type; write the result) and as the client uses them (write the arguments, read
 * the result), for {@code add(int,int)} and {@code echo(byte[])}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {
  /** The serializer under test. */
  @Param({"json", "cbor"})
  public String serializer;

  private Serializer codec;
  private final Integer sum = 7;
  private byte[] addArguments;
  private byte[] addResult;
  private final byte[] payload1k = new byte[1024];
  private final byte[] payload1m = new byte[1024 * 1024];
  private byte[] echo1kArguments;
  private byte[] echo1mArguments;

  /** Encodes the inputs of the decoding benchmarks. */
  @Setup
  public void setUp() {
    codec = Serializers.of(Serializers.DEFAULT_NAMES, Limits.defaults()).get(serializer);
    new Random(1).nextBytes(payload1k);
    new Random(2).nextBytes(payload1m);
    addArguments = codec.writeArguments(new Object[] {3, 4});
    addResult = codec.writeValue(sum, int.class);
    echo1kArguments = codec.writeArguments(new Object[] {payload1k});
    echo1mArguments = codec.writeArguments(new Object[] {payload1m});
  }

  /** Server: reads add's two arguments and converts them to int. */
  @Benchmark
  public int serverDecodeAddArguments() {
    List<Object> args = codec.readArguments(addArguments);
    return (Integer) codec.convert(args.get(0), int.class)
        + (Integer) codec.convert(args.get(1), int.class);
  }

  /** Server: reads echo's 1 KiB argument and converts it to byte[]. */
  @Benchmark
  public Object serverDecodeEcho1kArguments() {
    return codec.convert(codec.readArguments(echo1kArguments).get(0), byte[].class);
  }

  /** Server: reads echo's 1 MiB argument and converts it to byte[]. */
  @Benchmark
  public Object serverDecodeEcho1mArguments() {
    return codec.convert(codec.readArguments(echo1mArguments).get(0), byte[].class);
  }

  /** Server: writes add's int result. */
  @Benchmark
  public byte[] serverEncodeAddResult() {
    return codec.writeValue(sum, int.class);
  }

  /** Server: writes echo's 1 KiB result. */
  @Benchmark
  public byte[] serverEncodeEcho1kResult() {
    return codec.writeValue(payload1k, byte[].class);
  }

  /** Server: writes echo's 1 MiB result. */
  @Benchmark
  public byte[] serverEncodeEcho1mResult() {
    return codec.writeValue(payload1m, byte[].class);
  }

  /** Client: writes add's two arguments. */
  @Benchmark
  public byte[] clientEncodeAddArguments() {
    return codec.writeArguments(new Object[] {3, 4});
  }

  /** Client: reads add's result as int. */
  @Benchmark
  public Object clientDecodeAddResult() {
    return codec.readValue(addResult, int.class);
  }
}
