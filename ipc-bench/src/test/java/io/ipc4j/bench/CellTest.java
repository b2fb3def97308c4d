package io.ipc4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The measuring loop, against endpoints in this JVM that answer at once. */
class CellTest {
  private static final ProcessProbe SELF = new ProcessProbe(-1);

  /** Answers like a remote object would: a sum, and a copy of the payload. */
  private static class Honest implements Endpoint {
    @Override
    public int add(int a, int b) {
      return a + b;
    }

    @Override
    public byte[] echo(byte[] data) {
      return Arrays.copyOf(data, data.length);
    }

    @Override
    public int callBack(int a, int b) {
      return add(a, b);
    }

    @Override
    public int callBackTimes(int a, int n) {
      int sum = 0;
      for (int i = 0; i < n; i++) {
        sum += add(a, i);
      }
      return sum;
    }

    @Override
    public void close() {}
  }

  @Test
  void measuresCompletedCallsOfEveryThread() throws InterruptedException {
    CellResult r = Cell.run(Contender.GRPC, new Honest(), Scenario.ECHO_1K, 2,
        Duration.ofMillis(50), Duration.ofMillis(200), SELF);
    assertNull(r.failure());
    assertTrue(r.calls() > 0, "calls: " + r.calls());
    assertTrue(r.seconds() >= 0.2 && r.seconds() < 5, "seconds: " + r.seconds());
    assertTrue(r.p50Nanos() > 0 && r.p50Nanos() <= r.p99Nanos(), r.toString());
    assertEquals(-1, r.serverThreads(), "no server to probe");
  }

  @Test
  void aWrongSumFailsTheCellNamingTheCall() throws InterruptedException {
    Endpoint offByOne = new Honest() {
      @Override
      public int add(int a, int b) {
        return a + b + 1;
      }
    };
    CellResult r = Cell.run(Contender.IPC4J_CBOR, offByOne, Scenario.ADD, 1,
        Duration.ofSeconds(10), Duration.ofSeconds(10), SELF);
    assertEquals("java.lang.IllegalStateException: ipc4j cbor: add(0, 0) returned 1,"
        + " expected 0", r.failure());
    assertTrue(r.seconds() < 5, "a failure ends the cell at once, took " + r.seconds());
  }

  @Test
  void anEchoOfAnotherPayloadFailsTheCell() throws InterruptedException {
    Endpoint stale = new Honest() {
      private byte[] first;

      @Override
      public synchronized byte[] echo(byte[] data) {
        if (first == null) {
          first = data.clone();
        }
        return first.clone();
      }
    };
    CellResult r = Cell.run(Contender.RMI, stale, Scenario.ECHO_1K, 1,
        Duration.ofSeconds(10), Duration.ofSeconds(10), SELF);
    assertEquals("java.lang.IllegalStateException: RMI: echo of 1024 bytes (call 1)"
        + " differs first at byte 0", r.failure());
  }

  @Test
  void anExceptionFailsTheCellWithItsCause() throws InterruptedException {
    Endpoint broken = new Honest() {
      @Override
      public int add(int a, int b) {
        throw new IllegalStateException("down", new java.io.IOException("reset"));
      }
    };
    CellResult r = Cell.run(Contender.GRPC, broken, Scenario.ADD, 3,
        Duration.ofSeconds(10), Duration.ofSeconds(10), SELF);
    assertEquals("java.lang.IllegalStateException: down; caused by java.io.IOException: reset",
        r.failure());
  }

  @Test
  void eachCallbackOfTheLegCountsAsACallWithItsShareOfTheTime() throws InterruptedException {
    AtomicLong legCalls = new AtomicLong();
    Endpoint slowLeg = new Honest() {
      @Override
      public int callBackTimes(int a, int n) {
        legCalls.incrementAndGet();
        LockSupport.parkNanos(2_000_000); // about 2 ms a call, so 0.2 ms a callback
        return super.callBackTimes(a, n);
      }
    };
    CellResult r = Cell.run(Contender.IPC4J_SESSION, slowLeg, Scenario.CALLBACK_LEG, 1,
        Duration.ZERO, Duration.ofMillis(200), SELF);
    assertNull(r.failure());
    assertTrue(r.calls() > 0 && r.calls() % 10 == 0, "calls: " + r.calls());
    assertTrue(r.calls() <= 10 * legCalls.get(), r.calls() + " for " + legCalls.get());
    assertTrue(r.p50Nanos() >= 200_000 && r.p50Nanos() < 2_000_000, "p50: " + r.p50Nanos());
  }

  @Test
  void aWrongCallbackAnswerFailsTheCellNamingTheCall() throws InterruptedException {
    Endpoint lost = new Honest() {
      @Override
      public int callBackTimes(int a, int n) {
        return super.callBackTimes(a, n - 1);
      }
    };
    CellResult r = Cell.run(Contender.RMI, lost, Scenario.CALLBACK_LEG, 1,
        Duration.ofSeconds(10), Duration.ofSeconds(10), SELF);
    assertEquals("java.lang.IllegalStateException: RMI: callBackTimes(adder, 0, 10) returned 36,"
        + " expected 45", r.failure());
    Endpoint offByOne = new Honest() {
      @Override
      public int callBack(int a, int b) {
        return a + b + 1;
      }
    };
    r = Cell.run(Contender.IPC4J_SESSION, offByOne, Scenario.CALLBACK, 1,
        Duration.ofSeconds(10), Duration.ofSeconds(10), SELF);
    assertEquals("java.lang.IllegalStateException: ipc4j cbor session: callBack(adder, 0, 0)"
        + " returned 1, expected 0", r.failure());
  }
}
