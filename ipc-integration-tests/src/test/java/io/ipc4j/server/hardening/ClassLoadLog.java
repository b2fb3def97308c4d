package io.ipc4j.server.hardening;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Records every class the JVM loads from now on, whatever the class loader, through the JVM's
 * own unified logging ({@code -Xlog:class+load}, switched on at run time through the {@code
 * VM.log} diagnostic command). Lets a test prove that a class named in a request was never even
 * loaded, which no static initializer can show.
 */
final class ClassLoadLog implements AutoCloseable {
  private static final String PROBE = "io.ipc4j.server.hardening.LoadProbe";
  private final Path file;
  private boolean closed;

  private ClassLoadLog(Path file) {
    this.file = file;
  }

  /**
   * Starts logging class loads to a fresh temporary file, and checks that the log sees a class
   * loaded after this.
   *
   * @throws IllegalStateException when the log does not see it
   */
  static ClassLoadLog start() throws IOException {
    Path file = Files.createTempFile("ipc4j-class-load-", ".log");
    vmLog("output=" + file, "what=class+load=info", "decorators=none");
    ClassLoadLog log = new ClassLoadLog(file);
    try {
      new ProbeLoader().define();
      if (log.loaded(List.of(PROBE)).isEmpty()) {
        throw new IllegalStateException("the class-load log " + file + " did not see " + PROBE);
      }
    } catch (IOException | RuntimeException e) {
      log.close();
      throw e;
    }
    return log;
  }

  /** Of {@code names}, those the JVM has loaded since {@link #start()}. */
  Set<String> loaded(Collection<String> names) {
    Set<String> found = new TreeSet<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int end = line.indexOf(' ');
        String loaded = end < 0 ? line : line.substring(0, end);
        if (names.contains(loaded)) {
          found.add(loaded);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  /** Stops logging and deletes the file. */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      vmLog("output=" + file, "what=all=off");
      Files.deleteIfExists(file);
    }
  }

  /** Defines the probe class afresh, so that each log sees one load of it. */
  private static final class ProbeLoader extends ClassLoader {
    ProbeLoader() {
      super(null);
    }

    void define() throws IOException {
      try (InputStream in = ClassLoadLog.class.getResourceAsStream("LoadProbe.class")) {
        if (in == null) {
          throw new IOException("LoadProbe.class not found next to ClassLoadLog");
        }
        byte[] bytes = in.readAllBytes();
        defineClass(PROBE, bytes, 0, bytes.length);
      }
    }
  }

  private static void vmLog(String... arguments) {
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmLog",
          new Object[] {arguments}, new String[] {String[].class.getName()});
    } catch (JMException e) {
      throw new IllegalStateException("cannot switch class-load logging: " + e, e);
    }
  }
}
