package io.ipc4j.client;

import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.ipc4j.proto.v1.InvokeRequest;
import io.ipc4j.proto.v1.InvokeResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The items of one {@code InvokeStream} call, read lazily: the client asks the server for one
 * item at a time (gRPC's {@code request(1)}), so a slow reader makes the server wait rather than
 * buffer. Closing it before the end cancels the call, and the server closes its source.
 *
 * <p>Failures surface from {@link #hasNext()} and {@link #next()}: the {@link IpcException} a
 * blocking call would throw ({@link IpcRemoteException} for an exception thrown while the server
 * produced the items), or an unchecked exception type the proxy method declares. Each wait for an
 * item is bounded by the client's deadline. Not thread-safe, as iterators are not.
 */
final class StreamingCall implements Iterator<Object>, AutoCloseable {
  /** A message in {@link #queue}: how the call ended. */
  private record End(Status status, Metadata trailers) {}

  private final ClientCall<InvokeRequest, InvokeResponse> call;
  private final Function<InvokeResponse, Object> reader;
  private final Function<IpcException, Throwable> translate;
  private final String description;
  private final Duration wait;
  /** Responses, then one {@link End}; filled by gRPC's threads. */
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();

  /** The next response, taken from the queue but not yet returned by next(); or null. */
  private InvokeResponse head;
  /** The call has ended or was closed: no more items. */
  private boolean done;

  private StreamingCall(ClientCall<InvokeRequest, InvokeResponse> call,
      Function<InvokeResponse, Object> reader, Function<IpcException, Throwable> translate,
      String description, Duration wait) {
    this.call = call;
    this.reader = reader;
    this.translate = translate;
    this.description = description;
    this.wait = wait;
  }

  /** Starts {@code call} with {@code request}, asking for the first item. */
  static StreamingCall start(ClientCall<InvokeRequest, InvokeResponse> call,
      InvokeRequest request, Function<InvokeResponse, Object> reader,
      Function<IpcException, Throwable> translate, String description, Duration wait,
      ClientObservations.Observed observed) {
    StreamingCall items = new StreamingCall(call, reader, translate, description, wait);
    call.start(new ClientCall.Listener<>() {
      /** The size of the items so far, for the observation. */
      private long bytes;

      @Override
      public void onMessage(InvokeResponse message) {
        if (observed != ClientObservations.NONE) {
          bytes += message.getSerializedSize();
        }
        items.queue.add(message);
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        if (status.isOk()) {
          observed.answered(bytes);
        } else if (observed != ClientObservations.NONE) {
          observed.failed(Failures.of(status.asRuntimeException(trailers), description));
        }
        items.queue.add(new End(status, trailers));
      }
    }, new Metadata());
    call.sendMessage(request);
    call.halfClose();
    call.request(1);
    return items;
  }

  @Override
  public boolean hasNext() {
    if (head != null) {
      return true;
    }
    if (done) {
      return false;
    }
    Object taken;
    try {
      taken = queue.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new IpcException("interrupted while waiting for an item of " + description,
          Status.Code.CANCELLED, null, e);
    }
    if (taken == null) {
      close();
      throw new IpcDeadlineExceededException("no item within " + wait.toMillis() + " ms ("
          + description + ")", Status.Code.DEADLINE_EXCEEDED, null, null);
    }
    if (taken instanceof End end) {
      done = true;
      if (end.status.isOk()) {
        return false;
      }
      throw rethrowable(Failures.of(end.status.asRuntimeException(end.trailers), description));
    }
    head = (InvokeResponse) taken;
    call.request(1);
    return true;
  }

  @Override
  public Object next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more items (" + description + ")");
    }
    InvokeResponse response = head;
    head = null;
    try {
      return reader.apply(response);
    } catch (IpcException e) {
      close();
      throw e;
    }
  }

  /** The unchecked exception to throw for {@code failure}; a checked one stays {@code failure}. */
  private RuntimeException rethrowable(IpcException failure) {
    Throwable t = translate.apply(failure);
    if (t instanceof Error error) {
      throw error;
    }
    return t instanceof RuntimeException r ? r : failure;
  }

  /** Cancels the call unless it has ended; the server then closes its source. Idempotent. */
  @Override
  public void close() {
    head = null;
    if (!done) {
      done = true;
      call.cancel("the client closed the stream", null);
    }
  }

  /** The items as a sequential, ordered {@link Stream}; closing it closes this. */
  Stream<Object> stream() {
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED), false)
        .onClose(this::close);
  }

  @Override
  public String toString() {
    return "StreamingCall{" + description + "}";
  }
}
