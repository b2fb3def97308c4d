package io.ipc4j.core.internal;

import io.ipc4j.core.CallObserver;
import java.util.function.Function;

/**
 * The {@link CallObserver.Call} that server and client hand their observer: the call's names and
 * size, where metadata the client sent is read ({@code metadata}, the server's side) and where
 * metadata to send is put ({@code putMetadata}, the client's side).
 *
 * @param received reads an entry the client sent; null on the client, where it answers null
 * @param sent takes the entries to send; null on the server, where it takes nothing
 */
public record ObservedCall(CallObserver.Side side, String object, String method, boolean oneway,
    String rpc, long requestBytes, Function<String, String> received, CallMetadata sent)
    implements CallObserver.Call {

  @Override
  public String metadata(String key) {
    return received == null ? null : received.apply(key);
  }

  @Override
  public void putMetadata(String key, String value) {
    if (sent != null) {
      sent.put(key, value);
    }
  }
}
