package io.ipc4j.opentelemetry;

import io.ipc4j.core.CallObserver.Call;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;

/** Trace context in a call's metadata: written on the client, read on the server. */
enum CallCarrier implements TextMapGetter<Call>, TextMapSetter<Call> {
  INSTANCE;

  @Override
  public void set(Call call, String key, String value) {
    if (call != null) {
      call.putMetadata(key, value);
    }
  }

  @Override
  public String get(Call call, String key) {
    return call == null ? null : call.metadata(key);
  }
}
