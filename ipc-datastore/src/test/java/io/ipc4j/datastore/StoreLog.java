package io.ipc4j.datastore;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** What {@link FileDataStore} logs from when this is made until it is closed, for tests. */
final class StoreLog implements AutoCloseable {
  /** The records logged so far, in order; any thread may add to them. */
  final List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());
  private final Logger logger = Logger.getLogger(FileDataStore.class.getName());
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  StoreLog() {
    logger.addHandler(handler);
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
