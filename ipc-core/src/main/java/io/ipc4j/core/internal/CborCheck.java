package io.ipc4j.core.internal;

import com.google.protobuf.ByteString;

/**
 * Checks the structure of a CBOR payload in one pass before Jackson reads it, so that reading it
 * costs time linear in its size: every head is well formed, no length claims more bytes than
 * remain, arrays and maps nest at most {@code maxDepth} deep, and no value carries more than
 * {@link #MAX_TAGS} tags. Jackson's CBOR parser keeps a value's tags in a list that grows a few
 * entries at a time, so a long run of tags costs time quadratic in its length.
 */
final class CborCheck {
  /** The most tags one value may carry; ipc4j's own values carry at most two (tag 4 over 2). */
  static final int MAX_TAGS = 4;
  /** What {@link #problem} answers when arrays and maps nest deeper than allowed. */
  static final String TOO_DEEP = "too deep";

  /** The open containers' state: items left (definite) or one of these (indefinite). */
  private static final long ANY_ITEMS = -1;
  private static final long MAP_KEY_NEXT = -2;
  private static final long MAP_VALUE_NEXT = -3;

  private CborCheck() {}

  /**
   * Null when {@code data}, a sequence of CBOR items, is well formed within the bounds; else
   * {@link #TOO_DEEP}, or what is wrong and where.
   */
  static String problem(ByteString data, int maxDepth) {
    int size = data.size();
    // Each open container took at least one byte.
    long[] open = new long[Math.min(maxDepth, size) + 1];
    int depth = 0;
    int tags = 0;
    int firstTag = 0;
    int at = 0;
    while (at < size) {
      int start = at;
      int head = data.byteAt(at++) & 0xff;
      int major = head >>> 5;
      int info = head & 0x1f;
      if (head == 0xff) {
        long state = depth == 0 ? 0 : open[depth];
        if (state >= 0 || state == MAP_VALUE_NEXT || tags > 0) {
          return "unexpected break at byte " + start;
        }
        depth = itemDone(open, depth - 1); // the container ends: one item of its parent
        continue;
      }
      long argument = 0;
      boolean indefinite = false;
      if (info < 24) {
        argument = info;
      } else if (info <= 27) {
        int bytes = 1 << (info - 24);
        if (size - at < bytes) {
          return "truncated head at byte " + start;
        }
        for (int i = 0; i < bytes; i++) {
          argument = argument << 8 | (data.byteAt(at++) & 0xff);
        }
      } else if (info == 31 && major >= 2 && major <= 5) {
        indefinite = true;
      } else {
        return "invalid head 0x" + Integer.toHexString(head) + " at byte " + start;
      }
      if (major == 6) {
        firstTag = tags == 0 ? start : firstTag;
        if (++tags > MAX_TAGS) {
          return "more than " + MAX_TAGS + " tags on one value at byte " + firstTag;
        }
        continue;
      }
      tags = 0;
      switch (major) {
        case 2, 3 -> {
          if (!indefinite) {
            if (Long.compareUnsigned(argument, size - at) > 0) {
              return tooLong(start, argument, "bytes", size - at);
            }
            at += (int) argument;
          } else {
            at = chunks(data, at, major);
            if (at < 0) {
              return "malformed indefinite-length string at byte " + start;
            }
          }
          depth = itemDone(open, depth);
        }
        case 4, 5 -> {
          if (depth == maxDepth) {
            return TOO_DEEP;
          }
          // Each item takes at least one byte.
          long items = ANY_ITEMS;
          if (!indefinite) {
            long most = major == 4 ? size - at : (size - at) / 2;
            if (Long.compareUnsigned(argument, most) > 0) {
              return tooLong(start, argument, major == 4 ? "items" : "entries", size - at);
            }
            items = major == 4 ? argument : 2 * argument;
          } else if (major == 5) {
            items = MAP_KEY_NEXT;
          }
          open[++depth] = items;
          if (items == 0) {
            depth = itemDone(open, depth - 1);
          }
        }
        default -> depth = itemDone(open, depth); // integers, simple values, floats
      }
    }
    if (tags > 0 || depth > 0) {
      return "truncated at byte " + size;
    }
    return null;
  }

  /** Counts one finished item in the container at {@code depth}; answers the depth after it. */
  private static int itemDone(long[] open, int depth) {
    while (depth > 0) {
      long state = open[depth];
      if (state == MAP_KEY_NEXT) {
        open[depth] = MAP_VALUE_NEXT;
        return depth;
      } else if (state == MAP_VALUE_NEXT) {
        open[depth] = MAP_KEY_NEXT;
        return depth;
      } else if (state == ANY_ITEMS || --open[depth] > 0) {
        return depth;
      }
      depth--; // that was its last item: the container is one item of its parent
    }
    return 0;
  }

  /**
   * Skips the definite-length chunks of an indefinite-length string of {@code major} type and its
   * break; answers the position after it, or -1 when they are malformed.
   */
  private static int chunks(ByteString data, int at, int major) {
    int size = data.size();
    while (at < size) {
      int head = data.byteAt(at++) & 0xff;
      if (head == 0xff) {
        return at;
      }
      int info = head & 0x1f;
      if (head >>> 5 != major || info > 27) {
        return -1;
      }
      long length = info;
      if (info >= 24) {
        int bytes = 1 << (info - 24);
        if (size - at < bytes) {
          return -1;
        }
        length = 0;
        for (int i = 0; i < bytes; i++) {
          length = length << 8 | (data.byteAt(at++) & 0xff);
        }
      }
      if (Long.compareUnsigned(length, size - at) > 0) {
        return -1;
      }
      at += (int) length;
    }
    return -1;
  }

  private static String tooLong(int start, long declared, String what, int left) {
    return "the head at byte " + start + " declares " + Long.toUnsignedString(declared) + " "
        + what + " but " + left + (left == 1 ? " byte remains" : " bytes remain");
  }
}
