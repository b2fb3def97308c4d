package io.ipc4j.examples.streaming;

import io.ipc4j.server.IpcServer;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/** Serves a {@link Feed} as "feed". Run: examples/run feed-server [port]. */
public final class FeedServer implements Feed {
  /** The lines logged so far, in order. */
  public final List<String> lines = new CopyOnWriteArrayList<>();

  @Override
  public Stream<Long> squares(int count) {          // lazy: items are made as the client reads
    return LongStream.rangeClosed(1, count).mapToObj(i -> i * i);
  }

  @Override
  public CompletableFuture<Long> total(int count) {  // the server answers when it completes
    return CompletableFuture.supplyAsync(() -> squares(count).mapToLong(Long::longValue).sum());
  }

  @Override
  public void log(String line) {
    lines.add(line);
  }

  /** Starts the server on {@code port} (0 = any free port). */
  public static IpcServer start(Feed feed, int port) throws IOException {
    return IpcServer.builder().expose("feed", feed, Feed.class).port(port).start();
  }

  /** Serves until Ctrl-C. */
  public static void main(String[] args) throws IOException, InterruptedException {
    IpcServer server = start(new FeedServer(), args.length > 0 ? Integer.parseInt(args[0]) : 9099);
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
    System.out.println("serving feed on localhost:" + server.port());
    server.awaitTermination();
  }
}
