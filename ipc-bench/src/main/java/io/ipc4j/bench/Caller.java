package io.ipc4j.bench;

import java.util.Arrays;
import java.util.Random;

/**
 * One benchmark thread's calls of one scenario. Every answer is checked: {@code add} and the
 * callbacks get new operands each call, and each echo sends the payload stamped with the call's
 * number at both ends, so that a stale or mixed-up answer fails.
 */
final class Caller {
  private final Contender contender;
  private final Endpoint endpoint;
  private final Scenario scenario;
  private final byte[] payload;
  private final int base;
  private long calls;

  Caller(Contender contender, Endpoint endpoint, Scenario scenario, int thread) {
    this.contender = contender;
    this.endpoint = endpoint;
    this.scenario = scenario;
    this.base = thread * 1_000_003;
    this.payload = new byte[scenario.payloadBytes];
    new Random(thread).nextBytes(payload);
  }

  /**
   * Makes one call and checks its answer.
   *
   * @throws IllegalStateException naming the call when the answer is wrong
   * @throws Exception whatever the endpoint threw
   */
  void call() throws Exception {
    long n = calls++;
    if (scenario == Scenario.ADD) {
      int a = base;
      int b = (int) n;
      int sum = endpoint.add(a, b);
      if (sum != a + b) {
        throw new IllegalStateException(contender.label + ": add(" + a + ", " + b + ") returned "
            + sum + ", expected " + (a + b));
      }
      return;
    }
    if (scenario == Scenario.CALLBACK) {
      int a = base;
      int b = (int) n;
      int sum = endpoint.callBack(a, b);
      if (sum != a + b) {
        throw new IllegalStateException(contender.label + ": callBack(adder, " + a + ", " + b
            + ") returned " + sum + ", expected " + (a + b));
      }
      return;
    }
    if (scenario == Scenario.CALLBACK_LEG) {
      int a = base + (int) n;
      int times = scenario.callsPerCall;
      int expected = times * a + times * (times - 1) / 2; // the sum of a + i for i below times
      int sum = endpoint.callBackTimes(a, times);
      if (sum != expected) {
        throw new IllegalStateException(contender.label + ": callBackTimes(adder, " + a + ", "
            + times + ") returned " + sum + ", expected " + expected);
      }
      return;
    }
    stamp(n);
    byte[] back = endpoint.echo(payload);
    if (back == payload || !Arrays.equals(back, payload)) {
      throw new IllegalStateException(contender.label + ": echo of " + payload.length
          + " bytes (call " + n + ") " + difference(back));
    }
  }

  private void stamp(long n) {
    int last = payload.length - 8;
    for (int i = 0; i < 8; i++) {
      byte b = (byte) (n >>> (8 * i));
      payload[i] = b;
      payload[last + i] = b;
    }
  }

  private String difference(byte[] back) {
    if (back == null) {
      return "returned null";
    }
    if (back == payload) {
      return "returned the very array it was given";
    }
    if (back.length != payload.length) {
      return "returned " + back.length + " bytes";
    }
    return "differs first at byte " + Arrays.mismatch(back, payload);
  }
}
