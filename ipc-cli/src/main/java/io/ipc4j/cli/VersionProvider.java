package io.ipc4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * Answers {@code ipc --version} with the project version the build recorded: in {@code
 * version.properties} (a resource Maven filters), else in the jar manifest's {@code
 * Implementation-Version}.
 */
final class VersionProvider implements IVersionProvider {
  private static final String RESOURCE = "version.properties";

  /**
   * The ipc4j version, such as {@code 0.1.0}.
   *
   * @throws IllegalStateException when the build recorded none (classes compiled without Maven)
   */
  static String version() {
    String v = recorded(VersionProvider.class.getResourceAsStream(RESOURCE));
    if (v == null) {
      v = VersionProvider.class.getPackage().getImplementationVersion();
    }
    if (v == null || v.isBlank()) {
      throw new IllegalStateException("this build recorded no ipc4j version (neither "
          + RESOURCE + " nor the jar manifest has one); build it with Maven");
    }
    return v;
  }

  /** The version {@code in} (a {@code version.properties}) holds, or null when not filtered. */
  static String recorded(InputStream in) {
    if (in == null) {
      return null;
    }
    Properties p = new Properties();
    try (in) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
    }
    String v = p.getProperty("version", "").strip();
    return v.isEmpty() || v.contains("${") ? null : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"ipc4j " + version() + " (Java " + Runtime.version() + ")"};
  }
}
