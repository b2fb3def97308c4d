package io.ipc4j.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A bare HTTP/2 connection over a plain socket, for tests of what the server does with clients
 * that no grpc client would be: one that sends nothing, only the preface, or floods resets. It
 * writes frames as given and reads the server's frames one by one.
 */
final class RawHttp2 implements AutoCloseable {
  static final int DATA = 0;
  static final int HEADERS = 1;
  static final int RST_STREAM = 3;
  static final int SETTINGS = 4;
  static final int PING = 6;
  static final int GOAWAY = 7;
  private static final byte[] MAGIC =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  /** One frame the server sent. */
  record Frame(int type, int flags, int stream, byte[] payload) {
    /** A GOAWAY's error code. */
    long errorCode() {
      return ((payload[4] & 0xffL) << 24) | ((payload[5] & 0xff) << 16)
          | ((payload[6] & 0xff) << 8) | (payload[7] & 0xff);
    }

    /** A GOAWAY's debug data. */
    String debugData() {
      return new String(payload, 8, payload.length - 8, StandardCharsets.UTF_8);
    }

    /** The value of a SETTINGS frame's parameter {@code id}, or -1. */
    long setting(int id) {
      for (int i = 0; i + 6 <= payload.length; i += 6) {
        int key = ((payload[i] & 0xff) << 8) | (payload[i + 1] & 0xff);
        if (key == id) {
          return ((payload[i + 2] & 0xffL) << 24) | ((payload[i + 3] & 0xff) << 16)
              | ((payload[i + 4] & 0xff) << 8) | (payload[i + 5] & 0xff);
        }
      }
      return -1;
    }
  }

  private RawHttp2(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects to {@code port} on loopback and sends nothing yet. */
  static RawHttp2 connect(int port) throws IOException {
    return new RawHttp2(new Socket(InetAddress.getLoopbackAddress(), port));
  }

  /** Sends the client preface: the magic line and an empty SETTINGS frame. */
  RawHttp2 preface() throws IOException {
    out.write(MAGIC);
    frame(SETTINGS, 0, 0, new byte[0]);
    return this;
  }

  /** Opens stream {@code id} with a grpc call's request headers (no body yet). */
  void headers(int id, String path) throws IOException {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    literal(block, ":method", "POST");
    literal(block, ":scheme", "http");
    literal(block, ":path", path);
    literal(block, ":authority", "localhost");
    literal(block, "content-type", "application/grpc");
    literal(block, "te", "trailers");
    frame(HEADERS, 0x4, id, block.toByteArray()); // END_HEADERS
  }

  /** Resets stream {@code id} with CANCEL. */
  void reset(int id) throws IOException {
    frame(RST_STREAM, 0, id, new byte[] {0, 0, 0, 8});
  }

  /** Sends a PING (not an ack). */
  void ping() throws IOException {
    frame(PING, 0, 0, new byte[8]);
  }

  void flush() throws IOException {
    out.flush();
  }

  /**
   * The next frame of {@code type} within {@code within}, acknowledging the server's PINGs on
   * the way; null when the server closed the connection first.
   */
  Frame await(int type, Duration within) throws IOException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      Frame f = read(deadline);
      if (f == null || f.type == type) {
        return f;
      }
    }
  }

  /**
   * Whether the server closed the connection within {@code within} (reading and dropping its
   * frames, acknowledging its PINGs meanwhile).
   */
  boolean awaitClosed(Duration within) throws IOException {
    long deadline = System.nanoTime() + within.toNanos();
    try {
      while (read(deadline) != null) {
        // drop it
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  /** The next frame, or null at the end of the stream; SocketTimeoutException at the deadline. */
  private Frame read(long deadline) throws IOException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new SocketTimeoutException("no frame in time");
    }
    socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
    try {
      int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8
          | in.readUnsignedByte();
      int type = in.readUnsignedByte();
      int flags = in.readUnsignedByte();
      int stream = in.readInt() & 0x7fffffff;
      byte[] payload = new byte[length];
      in.readFully(payload);
      if (type == PING && (flags & 0x1) == 0) {
        frame(PING, 0x1, 0, payload);
        out.flush();
      }
      return new Frame(type, flags, stream, payload);
    } catch (EOFException e) {
      return null;
    } catch (SocketException e) {
      return null; // reset by the server: closed as well
    }
  }

  private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
    byte[] header = {
        (byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
        (byte) type, (byte) flags,
        (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
    out.write(header);
    out.write(payload);
  }

  /** An HPACK literal header field without indexing, with a new name; short strings only. */
  private static void literal(ByteArrayOutputStream block, String name, String value) {
    block.write(0);
    string(block, name);
    string(block, value);
  }

  private static void string(ByteArrayOutputStream block, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
    block.write(bytes.length); // below 127: fits the 7-bit prefix, not Huffman-coded
    block.write(bytes, 0, bytes.length);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
