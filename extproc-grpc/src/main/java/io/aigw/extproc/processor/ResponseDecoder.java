package io.aigw.extproc.processor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.brotli.dec.BrotliInputStream;

/**
 * Decodes a {@code content-encoding} of an upstream response body incrementally, so usage can be
 * read from compressed responses whether they arrive buffered or streamed: each call returns the
 * bytes the new compressed piece completed. {@code gzip} (several members allowed) and {@code
 * deflate} (zlib-wrapped or raw) inflate as bytes arrive; {@code br} re-decodes what has arrived
 * and returns only the new output (Brotli streams are rare and short here). Corrupt input stops
 * decoding: {@link #failed()} turns true and nothing more comes out.
 */
abstract class ResponseDecoder {

  private boolean failed;

  /** The decoder for a {@code content-encoding} value, or empty for identity / unknown codings. */
  static Optional<ResponseDecoder> forEncoding(String contentEncoding) {
    if (contentEncoding == null) {
      return Optional.empty();
    }
    return switch (contentEncoding.strip().toLowerCase(Locale.ROOT)) {
      case "gzip", "x-gzip" -> Optional.of(new Gzip());
      case "deflate" -> Optional.of(new Deflate());
      case "br" -> Optional.of(new Brotli());
      default -> Optional.empty();
    };
  }

  /** The plain bytes {@code chunk} completes; {@code end} is the last chunk. */
  final byte[] decode(byte[] chunk, boolean end) {
    if (failed) {
      return new byte[0];
    }
    try {
      return feed(chunk, end);
    } catch (IOException | DataFormatException | RuntimeException e) {
      failed = true;
      return new byte[0];
    }
  }

  /** Whether the input turned out not to be in this coding. */
  final boolean failed() {
    return failed;
  }

  abstract byte[] feed(byte[] chunk, boolean end) throws IOException, DataFormatException;

  static byte[] inflate(Inflater inflater, ByteArrayOutputStream out) throws DataFormatException {
    byte[] buffer = new byte[8192];
    while (!inflater.finished()) {
      int n = inflater.inflate(buffer);
      if (n == 0) {
        if (inflater.needsInput() || inflater.needsDictionary()) {
          break;
        }
      } else {
        out.write(buffer, 0, n);
      }
    }
    return out.toByteArray();
  }

  /** RFC 1952, member after member; the header is parsed from bytes kept until it is complete. */
  static final class Gzip extends ResponseDecoder {
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private byte[] pending = new byte[0];
    private Inflater inflater;
    private int trailerLeft;

    @Override
    byte[] feed(byte[] chunk, boolean end) throws DataFormatException {
      ByteArrayOutputStream out = new ByteArrayOutputStream(chunk.length * 4);
      byte[] input = concat(pending, chunk);
      int at = 0;
      while (at < input.length) {
        if (trailerLeft > 0) {
          int skip = Math.min(trailerLeft, input.length - at);
          trailerLeft -= skip;
          at += skip;
        } else if (inflater == null) {
          int body = headerLength(input, at);
          if (body < 0) {
            break;
          }
          at = body;
          inflater = new Inflater(true);
        } else {
          inflater.setInput(input, at, input.length - at);
          inflate(inflater, out);
          int consumed = input.length - at - inflater.getRemaining();
          at += consumed;
          if (!inflater.finished()) {
            break;
          }
          inflater.end();
          inflater = null;
          trailerLeft = 8;
        }
      }
      pending = Arrays.copyOfRange(input, at, input.length);
      if (end && inflater != null) {
        inflater.end();
      }
      return out.toByteArray();
    }

    /** Where the deflate data of the member starting at {@code at} begins, or -1 if not yet. */
    private static int headerLength(byte[] in, int at) throws DataFormatException {
      if (in.length - at < 10) {
        return -1;
      }
      if ((in[at] & 0xff) != 0x1f || (in[at + 1] & 0xff) != 0x8b || in[at + 2] != 8) {
        throw new DataFormatException("not gzip");
      }
      int flags = in[at + 3] & 0xff;
      int i = at + 10;
      if ((flags & FEXTRA) != 0) {
        if (in.length - i < 2) {
          return -1;
        }
        i += 2 + ((in[i] & 0xff) | (in[i + 1] & 0xff) << 8);
      }
      for (int flag : new int[] {FNAME, FCOMMENT}) {
        if ((flags & flag) != 0) {
          while (i < in.length && in[i] != 0) {
            i++;
          }
          if (i >= in.length) {
            return -1;
          }
          i++;
        }
      }
      if ((flags & FHCRC) != 0) {
        i += 2;
      }
      return i <= in.length ? i : -1;
    }
  }

  /** HTTP {@code deflate}: zlib-wrapped as the RFC says, or raw as some servers send it. */
  static final class Deflate extends ResponseDecoder {
    private Inflater inflater;
    private byte[] first = new byte[0];

    @Override
    byte[] feed(byte[] chunk, boolean end) throws DataFormatException {
      byte[] input = chunk;
      if (inflater == null) {
        first = concat(first, chunk);
        if (first.length < 2 && !end) {
          return new byte[0];
        }
        inflater = new Inflater(!zlibHeader(first));
        input = first;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(input.length * 4);
      if (!inflater.finished() && input.length > 0) {
        inflater.setInput(input);
        inflate(inflater, out);
      }
      if (end) {
        inflater.end();
      }
      return out.toByteArray();
    }

    private static boolean zlibHeader(byte[] b) {
      if (b.length < 2) {
        return false;
      }
      int cmf = b[0] & 0xff;
      int flg = b[1] & 0xff;
      return (cmf & 0x0f) == 8 && (cmf * 256 + flg) % 31 == 0;
    }
  }

  /** Brotli: decode everything so far again, hand out what is new. */
  static final class Brotli extends ResponseDecoder {
    private final ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    private int delivered;

    @Override
    byte[] feed(byte[] chunk, boolean end) throws IOException {
      compressed.write(chunk);
      ByteArrayOutputStream plain = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try (InputStream in =
          new BrotliInputStream(new ByteArrayInputStream(compressed.toByteArray()))) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          plain.write(buffer, 0, n);
        }
      } catch (IOException e) {
        if (end) {
          throw e;
        }
        // the stream is cut mid-block: what decoded so far is all there is for now
      }
      byte[] all = plain.toByteArray();
      if (all.length <= delivered) {
        return new byte[0];
      }
      byte[] fresh = Arrays.copyOfRange(all, delivered, all.length);
      delivered = all.length;
      return fresh;
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    if (a.length == 0) {
      return b;
    }
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
