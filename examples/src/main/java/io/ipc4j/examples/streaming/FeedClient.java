package io.ipc4j.examples.streaming;

import io.ipc4j.client.IpcClient;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Streams, awaits and fires calls at the feed server. Run: examples/run feed-client [port]. */
public final class FeedClient {
  private FeedClient() {}

  /** What the example does, given a client. */
  public static void run(IpcClient client, PrintStream out) {
    Feed feed = client.getExposedObject("feed", Feed.class);
    feed.log("client started");                                   // returns at once
    CompletableFuture<Long> total = feed.total(1000);             // no thread waits for it
    try (Stream<Long> squares = feed.squares(1_000_000)) {        // closing it stops the server
      out.println("first squares: " + squares.limit(5)
          .map(String::valueOf).collect(Collectors.joining(", ")));
    }
    out.println("total of 1000 squares: " + total.join());
  }

  /** Connects to localhost. */
  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 9099;
    try (IpcClient client = IpcClient.builder().port(port).build()) {
      run(client, System.out);
    }
  }
}
