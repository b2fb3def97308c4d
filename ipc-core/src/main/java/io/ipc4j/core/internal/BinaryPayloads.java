package io.ipc4j.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A {@code byte[]} value or single argument in a JSON or CBOR payload, written and read without
 * Jackson's intermediate buffers: a CBOR byte string is a header and the bytes themselves (written
 * as the caller's array, wrapped; read with one copy), a JSON one is base64 text in quotes (encoded
 * and decoded in one pass). The bytes are exactly what Jackson writes and reads, so either side
 * may use Jackson instead. Readers answer null for anything but that simplest form: the caller
 * then lets Jackson read it, which also explains what is wrong.
 */
final class BinaryPayloads {
  /** CBOR's major type 2 (byte string) and 4 (array), shifted into place. */
  private static final int CBOR_BYTES = 0x40;
  private static final int CBOR_ARRAY = 0x80;
  private static final byte QUOTE = '"';

  private BinaryPayloads() {}

  /** How a format holds a lone byte string: the only two that these shortcuts know. */
  enum Form {
    /** Base64 text in quotes, as JSON holds it. */
    BASE64_TEXT,
    /** A CBOR byte string: a head and the bytes as they are. */
    CBOR_BYTES;

    /** The form of {@code factory}'s format, or null when it is neither JSON nor CBOR. */
    static Form of(JsonFactory factory) {
      String format = factory.getFormatName();
      return JsonFactory.FORMAT_NAME_JSON.equals(format) ? BASE64_TEXT
          : CBORFactory.FORMAT_NAME.equals(format) ? CBOR_BYTES : null;
    }
  }

  /** {@code value} alone, as {@code form} writes it. */
  static ByteString writeValue(Form form, byte[] value) {
    return form == Form.CBOR_BYTES
        ? cborHeader(CBOR_BYTES, value.length).concat(UnsafeByteOperations.unsafeWrap(value))
        : jsonString(value, "", "");
  }

  /** An argument array holding only {@code value}, as {@code form} writes it. */
  static ByteString writeArguments(Form form, byte[] value) {
    if (form == Form.CBOR_BYTES) {
      return cborHeader(CBOR_ARRAY, 1).concat(cborHeader(CBOR_BYTES, value.length))
          .concat(UnsafeByteOperations.unsafeWrap(value));
    }
    return jsonString(value, "[", "]");
  }

  /** The bytes of a payload that is one byte string (base64 text in json), or null. */
  static byte[] readValue(Form form, ByteString data) {
    return form == Form.CBOR_BYTES ? cborBytes(data, 0) : jsonBytes(data, 0);
  }

  /**
   * The bytes of an argument array that holds exactly one byte string (base64 text in json), or
   * null; in json, only when the text is at most {@code maxText} characters.
   */
  static byte[] readArguments(Form form, ByteString data, int maxText) {
    if (form == Form.CBOR_BYTES) {
      return data.size() > 1 && data.byteAt(0) == (byte) (CBOR_ARRAY | 1) ? cborBytes(data, 1)
          : null;
    }
    int last = data.size() - 1;
    if (last < 3 || data.byteAt(0) != '[' || data.byteAt(last) != ']'
        || (long) last - 3 > maxText) {
      return null;
    }
    return jsonBytes(data.substring(1, last), 0);
  }

  /** The byte string that starts at {@code at} and ends the payload, or null. */
  private static byte[] cborBytes(ByteString data, int at) {
    if (data.size() <= at) {
      return null;
    }
    int initial = data.byteAt(at) & 0xff;
    if ((initial & 0xe0) != CBOR_BYTES) {
      return null;
    }
    int info = initial & 0x1f;
    long length;
    int start;
    if (info < 24) {
      length = info;
      start = at + 1;
    } else if (info <= 27) {
      int size = 1 << (info - 24); // 1, 2, 4 or 8 bytes of length
      if (data.size() < at + 1 + size) {
        return null;
      }
      length = 0;
      for (int i = 0; i < size; i++) {
        length = length << 8 | (data.byteAt(at + 1 + i) & 0xff);
      }
      start = at + 1 + size;
    } else {
      return null; // indefinite length, or reserved
    }
    if (length < 0 || start + length != data.size()) {
      return null;
    }
    byte[] bytes = new byte[(int) length];
    data.copyTo(bytes, start, 0, bytes.length);
    return bytes;
  }

  /** The bytes of the quoted base64 text from {@code at} to the end of the payload, or null. */
  private static byte[] jsonBytes(ByteString data, int at) {
    int last = data.size() - 1;
    if (last <= at || data.byteAt(at) != QUOTE || data.byteAt(last) != QUOTE) {
      return null;
    }
    ByteBuffer text = data.substring(at + 1, last).asReadOnlyByteBuffer();
    try {
      ByteBuffer bytes = Base64.getDecoder().decode(text);
      return bytes.hasArray() && bytes.arrayOffset() == 0
          && bytes.remaining() == bytes.array().length ? bytes.array() : copy(bytes);
    } catch (IllegalArgumentException e) {
      return null; // escapes, line feeds, another variant: Jackson reads it, or says why not
    }
  }

  private static byte[] copy(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  /** A CBOR head: the major type and the shortest encoding of {@code value}. */
  private static ByteString cborHeader(int major, long value) {
    byte[] head;
    if (value < 24) {
      head = new byte[] {(byte) (major | value)};
    } else if (value < 0x100) {
      head = new byte[] {(byte) (major | 24), (byte) value};
    } else if (value < 0x10000) {
      head = new byte[] {(byte) (major | 25), (byte) (value >> 8), (byte) value};
    } else {
      head = new byte[] {(byte) (major | 26), (byte) (value >> 24), (byte) (value >> 16),
          (byte) (value >> 8), (byte) value};
    }
    return UnsafeByteOperations.unsafeWrap(head);
  }

  /** {@code value} as quoted base64 text, between {@code before} and {@code after}. */
  private static ByteString jsonString(byte[] value, String before, String after) {
    return ascii(before + '"')
        .concat(UnsafeByteOperations.unsafeWrap(Base64.getEncoder().encode(value)))
        .concat(ascii('"' + after));
  }

  private static ByteString ascii(String text) {
    return UnsafeByteOperations.unsafeWrap(text.getBytes(StandardCharsets.US_ASCII));
  }
}
