package io.ipc4j.opentelemetry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The {@link MethodAttributes} of one side's methods, by object and method name, without making a
 * key per lookup. Bounded: past {@value #LIMIT} methods, each call makes its own, and their calls
 * in flight are counted together, as the SDK counts series past its limit (a server already
 * counts names it does not expose as {@code unknown}, so only a client that calls many names gets
 * there).
 */
final class MethodCache {
  /** Below the SDK's default of 2000 series per instrument, as each method makes one or more. */
  static final int LIMIT = 1000;

  private final Map<String, Map<String, MethodAttributes>> byObject = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();
  /** The calls in flight of methods past the limit. */
  private final LongAdder overflow = new LongAdder();
  /** Whether a method past the limit was called, since when its calls in flight are reported. */
  private volatile boolean overflowed;

  MethodAttributes get(String object, String method) {
    Map<String, MethodAttributes> methods = byObject.get(object);
    if (methods != null) {
      MethodAttributes found = methods.get(method);
      if (found != null) {
        return found;
      }
    }
    if (size.get() >= LIMIT) {
      overflowed = true;
      return new MethodAttributes(object, method, overflow);
    }
    if (methods == null) {
      methods = byObject.computeIfAbsent(object, o -> new ConcurrentHashMap<>());
    }
    return methods.computeIfAbsent(method, m -> {
      size.incrementAndGet();
      return new MethodAttributes(object, m, new LongAdder());
    });
  }

  /** Gives each cached method to {@code each}. */
  void forEach(Consumer<MethodAttributes> each) {
    byObject.values().forEach(methods -> methods.values().forEach(each));
  }

  /** The calls in flight of methods past the limit; -1 before any was called. */
  long overflowActive() {
    return overflowed ? overflow.sum() : -1;
  }

  /** How many methods are cached. */
  int size() {
    return size.get();
  }
}
