/**
 * JMH micro-benchmarks of ipc4j's parts: argument decoding and result encoding per serializer,
 * protobuf's codec for the typed service's messages, and whole calls over grpc's in-process
 * transport (dispatch through the server's InvokeService, the typed proxy, typed gRPC). Run them
 * with {@code ipc-bench/run jmh}.
 */
package io.ipc4j.bench.jmh;
