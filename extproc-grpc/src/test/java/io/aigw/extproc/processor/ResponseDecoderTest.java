package io.aigw.extproc.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class ResponseDecoderTest {

  private static final String TEXT =
      "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7}}\n\n"
          .repeat(20);

  static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  private static byte[] deflate(String text, boolean raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream d =
        new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
      d.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  /** Feeds {@code encoded} in two pieces cut at {@code cut} and returns all output. */
  private static String decodeSplit(String encoding, byte[] encoded, int cut) {
    ResponseDecoder decoder = ResponseDecoder.forEncoding(encoding).orElseThrow();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(decoder.decode(Arrays.copyOfRange(encoded, 0, cut), false));
    out.writeBytes(decoder.decode(Arrays.copyOfRange(encoded, cut, encoded.length), true));
    assertThat(decoder.failed()).isFalse();
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void gzipDecodesTheSameWhereverTheBodyIsCut() throws IOException {
    byte[] encoded = gzip(TEXT);
    for (int cut = 0; cut <= encoded.length; cut++) {
      assertThat(decodeSplit("gzip", encoded, cut)).as("cut at %d", cut).isEqualTo(TEXT);
    }
  }

  @Test
  void gzipWithSeveralMembersDecodesThemAll() throws IOException {
    byte[] a = gzip("first ");
    byte[] b = gzip("second");
    byte[] both = ResponseDecoder.concat(a, b);
    assertThat(decodeSplit("x-gzip", both, a.length + 3)).isEqualTo("first second");
  }

  @Test
  void deflateDecodesZlibWrappedAndRawData() throws IOException {
    byte[] zlib = deflate(TEXT, false);
    byte[] raw = deflate(TEXT, true);
    for (int cut = 0; cut <= zlib.length; cut += 7) {
      assertThat(decodeSplit("deflate", zlib, cut)).isEqualTo(TEXT);
    }
    for (int cut = 0; cut <= raw.length; cut += 7) {
      assertThat(decodeSplit("deflate", raw, cut)).isEqualTo(TEXT);
    }
  }

  @Test
  void brotliDecodesAndHandsOutOnlyNewBytes() {
    byte[] encoded =
        Base64.getDecoder()
            .decode(
                "H0QAgIzUYs0Z7gSyudSXLQpii4Ykl/9NDB1wyGmgHnweWAAUeI3xgEQyOD2Gvqf6Z9jxcOEKqMICgKrtAg==");
    String expected =
        "{\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,\"total_tokens\":12}}";
    for (int cut = 0; cut <= encoded.length; cut++) {
      assertThat(decodeSplit("br", encoded, cut)).isEqualTo(expected);
    }
  }

  @Test
  void identityAndUnknownCodingsAreNotDecoded() {
    assertThat(ResponseDecoder.forEncoding(null)).isEmpty();
    assertThat(ResponseDecoder.forEncoding("identity")).isEmpty();
    assertThat(ResponseDecoder.forEncoding("zstd")).isEmpty();
  }

  @Test
  void corruptInputStopsDecodingInsteadOfThrowing() {
    ResponseDecoder decoder = ResponseDecoder.forEncoding("gzip").orElseThrow();
    byte[] out = decoder.decode("definitely not gzip".getBytes(StandardCharsets.UTF_8), true);
    assertThat(out).isEmpty();
    assertThat(decoder.failed()).isTrue();
    assertThat(decoder.decode(new byte[] {1, 2, 3}, true)).isEmpty();
  }
}
