package io.ipc4j.core;

/**
 * Bounds on what a peer may send, so that hostile or broken input gets a clear error instead of
 * exhausting memory or stack. Immutable; change a value with the {@code with…} methods.
 *
 * @param maxMessageSize the largest gRPC message accepted, in bytes (also the longest document)
 * @param maxDepth the deepest nesting of arrays and objects in arguments (whose array is the
 *     first level) and in results
 * @param maxStringLength the longest string value, in characters
 * @param maxNumberLength the longest number, in digits
 * @param maxArguments the most arguments one call may carry
 * @param maxScale the largest scale of a decimal, either sign: {@code 1e-5} has scale 5, {@code
 *     1e999999999} scale -999999999 (whose digits a BigInteger would spend minutes computing)
 */
public record Limits(int maxMessageSize, int maxDepth, int maxStringLength, int maxNumberLength,
    int maxArguments, int maxScale) {

  /** The default {@link #maxScale}. */
  private static final int DEFAULT_MAX_SCALE = 10_000;

  private static final Limits DEFAULTS = new Limits(4 * 1024 * 1024, 64, 4 * 1024 * 1024, 256, 255);

  /** Checks that every limit is positive. */
  public Limits {
    positive("maxMessageSize", maxMessageSize);
    positive("maxDepth", maxDepth);
    positive("maxStringLength", maxStringLength);
    positive("maxNumberLength", maxNumberLength);
    positive("maxArguments", maxArguments);
    positive("maxScale", maxScale);
  }

  /** Limits with the default {@link #maxScale} (10,000). */
  public Limits(int maxMessageSize, int maxDepth, int maxStringLength, int maxNumberLength,
      int maxArguments) {
    this(maxMessageSize, maxDepth, maxStringLength, maxNumberLength, maxArguments,
        DEFAULT_MAX_SCALE);
  }

  /**
   * The defaults: 4 MiB messages and strings, nesting depth 64, numbers of 256 digits, 255
   * arguments, decimal scales within ±10,000.
   */
  public static Limits defaults() {
    return DEFAULTS;
  }

  /** A copy with another message size limit. */
  public Limits withMaxMessageSize(int bytes) {
    return new Limits(bytes, maxDepth, maxStringLength, maxNumberLength, maxArguments,
        maxScale);
  }

  /** A copy with another nesting depth limit. */
  public Limits withMaxDepth(int depth) {
    return new Limits(maxMessageSize, depth, maxStringLength, maxNumberLength, maxArguments,
        maxScale);
  }

  /** A copy with another string length limit. */
  public Limits withMaxStringLength(int chars) {
    return new Limits(maxMessageSize, maxDepth, chars, maxNumberLength, maxArguments, maxScale);
  }

  /** A copy with another number length limit. */
  public Limits withMaxNumberLength(int digits) {
    return new Limits(maxMessageSize, maxDepth, maxStringLength, digits, maxArguments, maxScale);
  }

  /** A copy with another argument count limit. */
  public Limits withMaxArguments(int count) {
    return new Limits(maxMessageSize, maxDepth, maxStringLength, maxNumberLength, count, maxScale);
  }

  /** A copy with another decimal scale limit. */
  public Limits withMaxScale(int scale) {
    return new Limits(
        maxMessageSize, maxDepth, maxStringLength, maxNumberLength, maxArguments, scale);
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
