package io.ipc4j.examples.streaming;

import io.ipc4j.core.Oneway;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/** One interface, three kinds of call: streamed, asynchronous and oneway. */
public interface Feed {
  /** The first {@code count} squares, streamed one by one as the server makes them. */
  Stream<Long> squares(int count);

  /** The total of the squares; the caller gets a future at once. */
  CompletableFuture<Long> total(int count);

  /** Records a line on the server; the caller does not wait. */
  @Oneway
  void log(String line);
}
