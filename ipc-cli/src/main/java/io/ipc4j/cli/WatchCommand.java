package io.ipc4j.cli;

import io.ipc4j.client.IpcClient;
import io.ipc4j.client.IpcException;
import io.ipc4j.core.RemoteReference;
import io.ipc4j.datastore.Change;
import io.ipc4j.datastore.ChangeListener;
import io.ipc4j.datastore.DataStoreClient;
import io.ipc4j.datastore.DataStoreException;
import io.ipc4j.datastore.Watch;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ipc watch NAME [AUTHOR]}: prints the changes of a data-store entry as they happen, until
 * Ctrl-C, {@code --count} changes, or the watch ends.
 */
@Command(name = "watch",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
        "Prints the changes of a data-store value as they happen, whoever makes them.",
        "%nWatches NAME of AUTHOR (of every author when AUTHOR is not given) in the data store "
            + "and prints one line per change: the time (UTC), the name, the author, and the new "
            + "value as JSON, or 'deleted'. With --json, each change is one JSON object per line."
            + " Runs until Ctrl-C, until --count changes are printed, or until the watch ends "
            + "(the server stopped, the connection was lost)."},
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {
        "0:--count changes printed (when stopped by Ctrl-C or SIGTERM, which close the watch,"
            + " the JVM exits with 130 or 143)",
        "1:the server refused the watch: its traceback is on stderr",
        ExitCodes.USAGE_LINE,
        "3:the server cannot be reached, or the watch ended: the server stopped or the "
            + "connection was lost",
        ExitCodes.FAILED_LINE})
final class WatchCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  /** How long Ctrl-C waits for the watch and the connection to close. */
  private static final long CLOSE_SECONDS = 5;

  private final ShutdownHooks hooks;

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;
  @Mixin ClientOptions client;

  @Parameters(index = "0", paramLabel = "NAME", description = "The name to watch.")
  String name;

  @Parameters(index = "1", arity = "0..1", paramLabel = "AUTHOR",
      description = "The author whose NAME to watch (default: every author).")
  String author;

  @Option(names = "--count", paramLabel = "N",
      description = "Exit (with 0) after printing N changes.")
  Integer count;

  @Option(names = "--json",
      description = "Print each change as one line of JSON: {\"name\": ..., \"author\": ..., "
          + "\"value\": ..., \"ts\": ..., \"deleted\": ...}.")
  boolean json;

  WatchCommand(ShutdownHooks hooks) {
    this.hooks = hooks;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (count != null && count < 1) {
      throw new ParameterException(spec.commandLine(),
          "--count must be at least 1, was " + count);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // completes with the exit code: N changes printed, Ctrl-C, or the watch ended
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    CountDownLatch closed = new CountDownLatch(1);
    try (IpcClient ipc = client.client(connection, spec);
        DataStoreClient store = DataStoreClient.builder().client(ipc).maxAttempts(1).build()) {
      Watch watch;
      try {
        watch = store.watch(name, author, new Printer(out, exit));
      } catch (DataStoreException e) {
        if (e.getCause() instanceof IpcException failure) {
          return CallFailures.report(failure, ipc, "watch", client.deadline, err);
        }
        throw e;
      }
      try (watch) {
        if (watch instanceof RemoteReference reference) {
          reference.ended().thenAccept(why -> finish(exit, ExitCodes.UNAVAILABLE, () -> {
            err.println("ipc: the watch of " + what() + " on " + ipc.name() + " at "
                + ipc.target() + " ended: " + why);
            err.flush();
          }));
        }
        hooks.add(new Thread(() -> {
          finish(exit, ExitCodes.OK, () -> { });
          try {
            closed.await(CLOSE_SECONDS, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }, "ipc-watch-stop"));
        err.println("ipc: watching " + what() + " on " + ipc.name() + " at " + ipc.target()
            + " - Ctrl-C to stop");
        err.flush();
        return exit.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("cannot happen: the exit code never fails", e);
      }
    } finally {
      closed.countDown();
    }
  }

  /**
   * Says how the command ends, once: the first of the ways to end says it (printing its message
   * before the command returns, so that it is out before the JVM exits).
   */
  private static void finish(CompletableFuture<Integer> exit, int code, Runnable message) {
    synchronized (exit) {
      if (!exit.isDone()) {
        message.run();
        exit.complete(code);
      }
    }
  }

  /** What is watched, for messages: {@code 'greeting' of author 'cli'}. */
  private String what() {
    return "'" + name + "' of " + (author == null ? "every author" : "author '" + author + "'");
  }

  /** Prints each change on its own line, flushed, until the exit code is known. */
  private final class Printer implements ChangeListener {
    private final PrintWriter out;
    private final CompletableFuture<Integer> exit;
    private int printed;

    Printer(PrintWriter out, CompletableFuture<Integer> exit) {
      this.out = out;
      this.exit = exit;
    }

    @Override
    public void changed(Change change) {
      finishing(() -> {
        out.println(json ? JsonText.line(change) : line(change));
        out.flush();
        printed++;
        // checkError: whoever read stdout is gone (ipc watch ... | head -1): nobody hears more
        if ((count != null && printed >= count) || out.checkError()) {
          exit.complete(ExitCodes.OK);
        }
      });
    }

    /** Runs {@code print} unless the command is ending, under the lock {@link #finish} takes. */
    private void finishing(Runnable print) {
      synchronized (exit) {
        if (!exit.isDone()) {
          print.run();
        }
      }
    }
  }

  /** {@code 2026-12-04T23:03:12.345Z greeting cli "hello"}, or {@code ... deleted}. */
  static String line(Change change) {
    return TIME.format(Instant.ofEpochMilli(change.ts())) + " " + change.name() + " "
        + change.author() + " " + (change.deleted() ? "deleted" : JsonText.line(change.value()));
  }
}
