package io.ipc4j.server.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Value;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.ipc4j.proto.v1.DescribeRequest;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeServiceGrpc;
import io.ipc4j.proto.v1.MethodDescription;
import io.ipc4j.proto.v1.ObjectDescription;
import io.ipc4j.server.IpcServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The exposure rules, re-checked with raw requests (no client library choosing what to send):
 * nothing outside an exposed interface, nothing static, nothing from {@code Object}, no {@code
 * close()}, nothing package-private or protected, nothing of a hidden class but what its public
 * interface declares. Every name at every arity up to three, in both argument forms, with and
 * without parameter_types.
 */
class ExposureRawTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  /** The interface an object may be exposed through. */
  public interface Api {
    String greet(String who);

    default String greetTwice(String who) {
      return greet(who) + greet(who);
    }
  }

  /** A public class with members of every kind. */
  public static class Impl implements Api, AutoCloseable, Cloneable {
    final AtomicInteger touched = new AtomicInteger();

    @Override
    public String greet(String who) {
      return "hello " + who;
    }

    public String secret() {
      return "secret";
    }

    public static String helper() {
      return "static";
    }

    String packagePrivate() {
      touched.incrementAndGet();
      return "hidden";
    }

    protected String guarded() {
      touched.incrementAndGet();
      return "hidden";
    }

    @Override
    public void close() {
      touched.incrementAndGet();
    }

    @Override
    public Impl clone() {
      touched.incrementAndGet();
      return new Impl();
    }

    @Override
    public String toString() {
      return "Impl";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Impl;
    }

    @Override
    public int hashCode() {
      return 7;
    }
  }

  /** A class no client can see: only Api's methods are reachable. */
  static final class Hidden implements Api {
    @Override
    public String greet(String who) {
      return "psst " + who;
    }

    public String secret() {
      return "secret";
    }
  }

  /** Names a request may try: what is exposed somewhere, and what never is. */
  private static final List<String> NAMES = List.of("greet", "greetTwice", "secret", "helper",
      "packagePrivate", "guarded", "close", "clone", "toString", "equals", "hashCode",
      "getClass", "wait", "notify", "notifyAll", "finalize", "<init>", "<clinit>", "size",
      "iterator", "registerNatives");

  @ParameterizedTest
  @EnumSource(Net.class)
  void onlyWhatTheRulesExposeAnswersEverythingElseIsNoSuchMethod(Net net) throws Exception {
    Impl viaInterface = new Impl();
    Impl whole = new Impl();
    List<String> jdkList = new ArrayList<>(List.of("a"));
    // object -> the callable methods as "name/arity"
    Map<String, Set<String>> callable = Map.of(
        "iface", Set.of("greet/1", "greetTwice/1"),
        "whole", Set.of("greet/1", "greetTwice/1", "secret/0"),
        "hidden", Set.of("greet/1", "greetTwice/1"),
        "list", Set.of("size/0", "iterator/0"));
    try (Net.Served served = net.start(IpcServer.builder()
        .expose("iface", viaInterface, Api.class).expose("whole", whole)
        .expose("hidden", new Hidden()).expose("list", jdkList))) {
      ManagedChannel channel = served.channel();
      try {
        List<String> wrong = new ArrayList<>();
        int tried = 0;
        for (String object : callable.keySet()) {
          for (String name : NAMES) {
            for (int arity = 0; arity <= 3; arity++) {
              for (boolean payload : new boolean[] {false, true}) {
                tried++;
                Raw.Outcome o = Raw.invoke(channel, request(object, name, arity, payload),
                    DEADLINE);
                boolean exposed = callable.get(object).contains(name + "/" + arity);
                if (!exposed && !(o.code() == Status.Code.UNIMPLEMENTED
                    && o.reason().equals("ipc4j:NO_SUCH_METHOD"))) {
                  wrong.add(object + "." + name + "/" + arity + (payload ? " (json)" : "")
                      + " answered " + o);
                }
                if (exposed && o.code() == Status.Code.UNIMPLEMENTED) {
                  wrong.add(object + "." + name + "/" + arity + " is exposed but answered " + o);
                }
              }
            }
          }
        }
        assertEquals(List.of(), wrong, "of " + tried + " requests");
        // The forbidden members with parameter_types that name them exactly.
        for (String types : List.of("", "long", "long,int")) {
          Raw.Outcome wait = Raw.invoke(channel, HostileRequests.listRequest("whole", "wait",
              types.isEmpty() ? List.of() : List.of(types.split(",")), args(types)), DEADLINE);
          assertEquals(Status.Code.UNIMPLEMENTED, wait.code(), wait.toString());
        }
        assertEquals(0, viaInterface.touched.get() + whole.touched.get(),
            "a forbidden member ran");
        assertEquals(List.of("a"), jdkList, "the list changed through a failed call");

        Map<String, Set<String>> described = describe(channel);
        assertEquals(Set.of("greet(java.lang.String)", "greetTwice(java.lang.String)"),
            described.get("iface"));
        assertEquals(Set.of("greet(java.lang.String)", "greetTwice(java.lang.String)",
            "secret()"), described.get("whole"));
        assertEquals(described.get("iface"), described.get("hidden"));
      } finally {
        Net.shutdown(channel);
      }
    }
  }

  private static InvokeRequest request(String object, String method, int arity,
      boolean payload) {
    if (payload) {
      String json = "[" + String.join(",", Collections.nCopies(arity, "\"x\"")) + "]";
      return HostileRequests.payloadRequest(object, method, List.of(), "json",
          HostileRequests.utf8(json));
    }
    Value[] args = new Value[arity];
    Arrays.fill(args, HostileRequests.str("x"));
    return HostileRequests.listRequest(object, method, List.of(), args);
  }

  private static Value[] args(String types) {
    return types.isEmpty() ? new Value[0] : types.split(",").length == 1
        ? new Value[] {HostileRequests.num(1)}
        : new Value[] {HostileRequests.num(1), HostileRequests.num(1)};
  }

  /** Each object's methods as Describe lists them: {@code name(types)}. */
  private static Map<String, Set<String>> describe(ManagedChannel channel) {
    Map<String, Set<String>> all = new HashMap<>();
    for (ObjectDescription o : InvokeServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS).describe(DescribeRequest.getDefaultInstance())
        .getObjectsList()) {
      Set<String> methods = new TreeSet<>();
      for (MethodDescription m : o.getMethodsList()) {
        methods.add(m.getName() + "(" + String.join(",", m.getParametersList().stream()
            .map(p -> p.getType()).toList()) + ")");
      }
      all.put(o.getName(), methods);
    }
    return all;
  }
}
