package io.ipc4j.server.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ListValue;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.ipc4j.client.IpcClient;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.server.IpcServer;
import io.ipc4j.server.hardening.HostileRequests.Case;
import io.ipc4j.server.hardening.HostileRequests.Category;
import io.ipc4j.server.hardening.HostileRequests.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hostile input through a real channel: at least 10,000 generated requests per transport from a
 * deterministic seed ({@code -Dipc.hardening.seed}, {@code -Dipc.hardening.requests}; 100,000
 * with {@code -Dipc.hardening.long=true}). Random bytes, truncated and bit-flipped protobuf,
 * unknown objects and methods, Object and lifecycle methods, gadget classes in parameter_types,
 * type-hint keys in JSON, nesting past the limit, giant strings and numbers, messages over the
 * size limit and foreign serializer names. Each must get, within its deadline, the answer the
 * docs' table gives it (or grpc's own, for what never reaches ipc4j); between batches a good call
 * and the health service must show a healthy, correct server; and no class a request names may
 * ever be loaded or initialised. The status histogram goes to the test's output for
 * docs/reliability.md.
 */
class HostileInputTest {
  private static final int BATCH = 500;
  private static final int THREADS = 4;
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final int MAX_FAILURES_SHOWN = 25;

  @ParameterizedTest
  @EnumSource(Net.class)
  void everyHostileRequestGetsItsDocumentedAnswerAndTheServerStaysHealthy(Net net)
      throws Exception {
    long seed = Hardening.seed();
    int requests = Hardening.requests();
    HostileRequests generator = new HostileRequests(seed, net);
    HostileTarget target = new HostileTarget();
    Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
    Map<Category, Map<Kind, AtomicLong>> kinds = new ConcurrentHashMap<>();
    Map<Category, AtomicLong> slowest = new ConcurrentHashMap<>();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    long started = System.nanoTime();
    try (ClassLoadLog classLoads = ClassLoadLog.start();
        LogCounter logs = new LogCounter("io.grpc.internal.SerializingExecutor",
            "io.grpc.netty.shaded.io.grpc.netty.NettyServerStream",
            "io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler");
        Net.Served served = net.start(IpcServer.builder().expose(HostileRequests.NAME, target));
        IpcClient client = served.client().name(HostileRequests.NAME).build()) {
      ManagedChannel channel = served.channel();
      try {
        for (int from = 0; from < requests; from += BATCH) {
          int to = Math.min(requests, from + BATCH);
          List<Future<?>> batch = new ArrayList<>();
          for (int i = from; i < to; i++) {
            int index = i;
            batch.add(pool.submit(() -> {
              Case c = generator.generate(index);
              Raw.Outcome outcome = Raw.invoke(channel, c.bytes(), DEADLINE);
              Kind kind = Kind.of(outcome);
              statuses.computeIfAbsent(HostileRequests.label(outcome), k -> new AtomicLong())
                  .incrementAndGet();
              kinds.computeIfAbsent(c.category(), k -> new ConcurrentHashMap<>())
                  .computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
              slowest.computeIfAbsent(c.category(), k -> new AtomicLong())
                  .accumulateAndGet(outcome.millis(), Math::max);
              String wrong = !c.expect().kinds().contains(kind)
                  ? "expected " + HostileRequests.names(c.expect().kinds()) + " but got "
                      + outcome
                  : kind == Kind.OK ? c.expect().check().apply(outcome.invokeResponse()) : null;
              if (wrong != null && failures.size() < MAX_FAILURES_SHOWN) {
                failures.add("request #" + index + " (" + c.category() + ", seed " + seed
                    + "): " + wrong);
              }
              return null;
            }));
          }
          for (Future<?> f : batch) {
            f.get(5, TimeUnit.MINUTES);
          }
          assertHealthyAndCorrect(channel, client, new SplittableRandom(seed + from));
          assertEquals(List.of(), failures, "after request " + to);
        }
        assertEquals(0, target.closed.get(), "a request closed the object");
        assertEquals(0, target.cloned.get(), "a request cloned the object");
      } finally {
        Net.shutdown(channel);
      }
      assertEquals(Set.of(), GadgetFlags.initialised(), "gadgets initialised");
      List<String> named = new ArrayList<>(GadgetFlags.ALL);
      named.addAll(GadgetFlags.JDK_GADGETS);
      named.add(HostileTarget.Circle.class.getName());
      assertEquals(Set.of(), classLoads.loaded(named),
          "classes named in requests were loaded");
      report(net, seed, requests, started, statuses, kinds, slowest, logs.counts());
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
    assertEquals(1, target.closed.get(), "stop() closes the object once");
  }

  /** A known-good call in each form, and health SERVING for the server and the object. */
  private static void assertHealthyAndCorrect(ManagedChannel channel, IpcClient client,
      SplittableRandom r) {
    int a = r.nextInt(-100_000, 100_000);
    int b = r.nextInt(-100_000, 100_000);
    assertEquals((long) (a + b), client.getExposedObject().call("add", a, b));
    String text = HostileRequests.unicode(r, 50);
    assertEquals(text, client.getExposedObject().call("echo", text));
    InvokeRequest list = InvokeRequest.newBuilder().setObject(HostileRequests.NAME)
        .setMethod("add").setArgs(ListValue.newBuilder().addValues(HostileRequests.num(a))
            .addValues(HostileRequests.num(b)))
        .build();
    Raw.Outcome answer = Raw.invoke(channel, list, DEADLINE);
    assertEquals(a + b, (int) answer.invokeResponse().getValue().getNumberValue(),
        answer.toString());
    for (String service : List.of("", HostileRequests.NAME)) {
      assertEquals(ServingStatus.SERVING, HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus());
    }
    assertEquals(Set.of(), GadgetFlags.initialised(), "gadgets initialised");
  }

  /** Prints the figures docs/reliability.md reports. */
  private static void report(Net net, long seed, int requests, long started,
      Map<String, AtomicLong> statuses, Map<Category, Map<Kind, AtomicLong>> kinds,
      Map<Category, AtomicLong> slowest, Map<String, Long> logs) {
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    System.out.println("HOSTILE " + net + " seed=" + seed + " requests=" + requests
        + " millis=" + millis);
    new TreeMap<>(statuses).forEach((status, count) ->
        System.out.println("HOSTILE-STATUS " + net + " " + status + " = " + count));
    Map<Category, Map<Kind, AtomicLong>> byCategory = new EnumMap<>(Category.class);
    byCategory.putAll(kinds);
    byCategory.forEach((category, counts) -> {
      Map<Kind, Long> sorted = new EnumMap<>(Kind.class);
      counts.forEach((k, v) -> sorted.put(k, v.get()));
      System.out.println("HOSTILE-CATEGORY " + net + " " + category + " " + sorted
          + " slowest=" + slowest.get(category) + "ms");
    });
    logs.forEach((logger, count) ->
        System.out.println("HOSTILE-LOG " + net + " " + logger + " = " + count));
  }
}
