package io.ipc4j.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks the PEM files the TLS options name, so that a bad one is an error naming its option. */
final class PemFiles {
  private PemFiles() {}

  /**
   * {@code file} as a {@link File}, once it is known to be a readable regular file.
   *
   * @throws IllegalArgumentException naming the option and the file when it cannot be read
   */
  static File readable(String option, Path file) {
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(option + " " + file + ": no such file");
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(option + " " + file + ": not a file");
    }
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(option + " " + file + ": cannot read it (access denied)");
    }
    return file.toFile();
  }

  /** A failure to read the files of {@code options}, as one usage error naming them. */
  static IllegalArgumentException unreadable(String options, IOException e) {
    return new IllegalArgumentException("cannot read " + options + ": " + e.getMessage(), e);
  }
}
