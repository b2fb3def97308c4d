package io.ipc4j.datastore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Files under a data directory: names checked to stay inside it, writes made crash-safe (a
 * temporary file in the same directory, forced to disk, then renamed atomically over the target).
 */
final class DataFiles {
  /** Every temporary file ends so, so that leftovers of a crash are recognised and removed. */
  static final String TEMP_SUFFIX = ".ipc4j-tmp";

  private DataFiles() {}

  /**
   * The path of {@code file} inside {@code dir} (a real, absolute path).
   *
   * @throws IllegalArgumentException when {@code file} is empty, absolute, leaves {@code dir}
   *     (also through a symbolic link) or names a directory or a temporary file
   */
  static Path inside(Path dir, String file) {
    if (file == null || file.isBlank()) {
      throw new IllegalArgumentException("file name is empty");
    }
    Path relative;
    try {
      relative = Path.of(file);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("file '" + file + "' is not a valid file name", e);
    }
    if (relative.isAbsolute() || relative.getRoot() != null) {
      throw new IllegalArgumentException(
          "file '" + file + "' is absolute; give a name relative to the data directory");
    }
    Path resolved = dir.resolve(relative).normalize();
    if (resolved.equals(dir)) {
      throw new IllegalArgumentException("file '" + file + "' is the data directory itself");
    }
    if (!resolved.startsWith(dir)) {
      throw new IllegalArgumentException("file '" + file + "' is outside the data directory");
    }
    if (resolved.getFileName().toString().endsWith(TEMP_SUFFIX)) {
      throw new IllegalArgumentException(
          "file '" + file + "' ends with " + TEMP_SUFFIX + ", kept for temporary files");
    }
    try {
      Path existing = resolved;
      while (!Files.exists(existing)) {
        existing = existing.getParent();
      }
      if (!existing.toRealPath().startsWith(dir)) {
        throw new IllegalArgumentException(
            "file '" + file + "' is outside the data directory (through a link)");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("file '" + file + "' cannot be resolved: " + e, e);
    }
    if (Files.isDirectory(resolved)) {
      throw new IllegalArgumentException("file '" + file + "' is a directory");
    }
    return resolved;
  }

  /**
   * Replaces {@code target} by {@code bytes} so that a crash at any moment leaves either the old
   * or the new content, never a mix: write a temporary file beside it, force it to disk, rename
   * it over {@code target}, then force the directory.
   */
  static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, target.getFileName() + ".", TEMP_SUFFIX);
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot replace " + target + " atomically: " + e.getMessage(), e);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    forceDirectory(dir);
  }

  /** Makes a rename in {@code dir} durable where the platform allows it (not on Windows). */
  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows cannot open a directory; its rename is durable once it returns.
    }
  }

  /** Deletes the temporary files a crash left directly in {@code dir}; answers which. */
  static List<Path> removeLeftovers(Path dir) throws IOException {
    List<Path> removed = new ArrayList<>();
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, "*" + TEMP_SUFFIX)) {
      for (Path temp : temps) {
        if (Files.isRegularFile(temp) && Files.deleteIfExists(temp)) {
          removed.add(temp);
        }
      }
    }
    return removed;
  }
}
