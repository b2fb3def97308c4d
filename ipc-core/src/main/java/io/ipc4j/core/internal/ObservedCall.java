package io.ipc4j.core.internal;

import io.ipc4j.core.CallObserver;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The {@link CallObserver.Call} that server and client hand their observer: the call's names and
 * size, where metadata the client sent is read ({@code metadata}, the server's side) and where
 * metadata to send is put ({@code putMetadata}, the client's side).
 *
 * @param metadata reads an entry the client sent; answers null on the client
 * @param putMetadata takes an entry to send; does nothing on the server
 */
public record ObservedCall(CallObserver.Side side, String object, String method, boolean oneway,
    String rpc, long requestBytes, Function<String, String> metadata,
    BiConsumer<String, String> putMetadata) implements CallObserver.Call {

  @Override
  public String metadata(String key) {
    return metadata.apply(key);
  }

  @Override
  public void putMetadata(String key, String value) {
    putMetadata.accept(key, value);
  }
}
