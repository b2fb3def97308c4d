package io.ipc4j.datastore;

import java.util.List;
import java.util.Map;

/**
 * What a {@link FileDataStore} accepts: the longest name, author and key inside a value, the
 * largest value and its deepest nesting, and the quotas per author and in total. Checked before a
 * change is made, so that everything accepted can be stored and read back.
 */
record Bounds(
    int maxNameLength,
    int maxAuthorLength,
    int maxKeyLength,
    int maxValueBytes,
    int maxDepth,
    int maxEntriesPerAuthor,
    long maxBytesPerAuthor,
    int maxEntries,
    long maxBytes) {

  /** The deepest nesting a store may allow; its files and rows are read up to this, and more. */
  static final int DEPTH_CEILING = 1000;

  static final Bounds DEFAULTS = new Bounds(1024, 256, 4096, 4 * 1024 * 1024, 63, 10_000,
      64L * 1024 * 1024, 100_000, 256L * 1024 * 1024);

  Bounds {
    positive("maxNameLength", maxNameLength);
    positive("maxAuthorLength", maxAuthorLength);
    positive("maxKeyLength", maxKeyLength);
    positive("maxValueBytes", maxValueBytes);
    positive("maxDepth", maxDepth);
    if (maxDepth > DEPTH_CEILING) {
      throw new IllegalArgumentException(
          "maxDepth must be at most " + DEPTH_CEILING + ", was " + maxDepth);
    }
    positive("maxEntriesPerAuthor", maxEntriesPerAuthor);
    positive("maxBytesPerAuthor", maxBytesPerAuthor);
    positive("maxEntries", maxEntries);
    positive("maxBytes", maxBytes);
  }

  private static void positive(String what, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be positive, was " + value);
    }
  }

  /** Checks a name: not null, at most {@link #maxNameLength} characters, valid Unicode. */
  void checkName(String name) {
    checkText("name", name, maxNameLength);
  }

  /** Checks an author: not null, at most {@link #maxAuthorLength} characters, valid Unicode. */
  void checkAuthor(String author) {
    checkText("author", author, maxAuthorLength);
  }

  private static void checkText(String what, String text, int max) {
    if (text == null) {
      throw new IllegalArgumentException(what + " is null");
    }
    if (text.length() > max) {
      throw new IllegalArgumentException(
          what + " is " + text.length() + " characters; at most " + max);
    }
    int bad = unpairedSurrogate(text);
    if (bad >= 0) {
      throw new IllegalArgumentException(what + " has an unpaired surrogate at index " + bad
          + "; it cannot be stored as UTF-8");
    }
  }

  /**
   * Checks a value in its JSON shape and written as {@code json}: its size, its nesting and the
   * keys of its objects.
   */
  void checkValue(String name, String author, Object value, String json) {
    long bytes = utf8Length(json);
    if (bytes > maxValueBytes) {
      throw new IllegalArgumentException(of(name, author) + " is " + bytes
          + " bytes as JSON; at most " + maxValueBytes);
    }
    checkNested(name, author, value, 0);
  }

  private void checkNested(String name, String author, Object value, int depth) {
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      if (depth + 1 > maxDepth) {
        throw new IllegalArgumentException(of(name, author) + " is nested more than "
            + maxDepth + " levels deep; at most " + maxDepth);
      }
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        if (key.length() > maxKeyLength) {
          throw new IllegalArgumentException(of(name, author) + " has a key of " + key.length()
              + " characters; at most " + maxKeyLength);
        }
        checkNested(name, author, e.getValue(), depth + 1);
      }
    } else if (value instanceof List<?> list) {
      for (Object item : list) {
        checkNested(name, author, item, depth + 1);
      }
    }
  }

  private static String of(String name, String author) {
    return "value of '" + name + "' for author '" + author + "'";
  }

  /**
   * Checks the quotas for a change that leaves {@code author} with {@code authorEntries} entries
   * of {@code authorBytes} bytes, and the store with {@code entries} of {@code bytes}: the
   * entry quotas when the change adds entries, the byte quotas when it adds bytes.
   *
   * @throws IllegalStateException naming the quota that the change would exceed
   */
  void checkQuota(String author, long authorEntries, long authorBytes, long entries,
      long bytes, boolean moreEntries, boolean moreBytes) {
    if (moreEntries) {
      checkEntries(author, authorEntries, entries);
    }
    if (moreBytes) {
      checkBytes(author, authorBytes, bytes);
    }
  }

  private void checkEntries(String author, long authorEntries, long entries) {
    if (authorEntries > maxEntriesPerAuthor) {
      throw new IllegalStateException("quota exceeded: author '" + author + "' would have "
          + authorEntries + " entries; at most " + maxEntriesPerAuthor);
    }
    if (entries > maxEntries) {
      throw new IllegalStateException("quota exceeded: the store would have " + entries
          + " entries; at most " + maxEntries);
    }
  }

  private void checkBytes(String author, long authorBytes, long bytes) {
    if (authorBytes > maxBytesPerAuthor) {
      throw new IllegalStateException("quota exceeded: author '" + author + "' would hold "
          + authorBytes + " bytes; at most " + maxBytesPerAuthor);
    }
    if (bytes > maxBytes) {
      throw new IllegalStateException("quota exceeded: the store would hold " + bytes
          + " bytes; at most " + maxBytes);
    }
  }

  /** The index of the first unpaired surrogate in {@code text}, or -1. */
  static int unpairedSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      } else if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** The size of {@code text} in UTF-8, without encoding it. */
  static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** {@code text} for a message: whole when short, else its start and its length. */
  static String shown(String text) {
    return text.length() <= 100 ? text
        : text.substring(0, 100) + "... (" + text.length() + " characters)";
  }
}
