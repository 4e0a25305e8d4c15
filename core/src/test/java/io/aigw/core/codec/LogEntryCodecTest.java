package io.aigw.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.LogEvent;
import io.aigw.core.event.SourceError;
import io.aigw.core.event.WatchEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class LogEntryCodecTest {

  private static final Instant AT = Instant.parse("2025-03-04T05:06:07.000000089Z");

  private static WatchEvent watch(String name) {
    return new WatchEvent(
        "dir:/x", "v1", "ConfigMap", "ns", name, "u", "9", 4, EventType.DELETE, "{\"a\":1}");
  }

  @Test
  void everyLogEventVariantHasABinaryForm() {
    for (Class<?> variant : LogEvent.class.getPermittedSubclasses()) {
      assertThat(LogEventCodec.forType(variant).type()).isEqualTo(variant);
    }
    assertThat(LogEventCodec.values()).extracting(LogEventCodec::tag).doesNotHaveDuplicates();
  }

  @Test
  void keepsItsByteLayoutStable() {
    LogEntry entry = new LogEntry(258, AT, new SourceError("s", "f", 7, "r"));
    String hex = HexFormat.of().formatHex(LogEntryCodec.encode(entry));
    assertThat(hex)
        .isEqualTo(
            "01"
                + "0000000000000102"
                + "0000000067c68a3f"
                + "00000059"
                + "02"
                + "00000013"
                + "0000000173"
                + "0000000166"
                + "00000007"
                + "0000000172");
  }

  @Test
  void roundTripsAWatchEventWithItsTime() {
    LogEntry entry = new LogEntry(1, AT, watch("n"));
    assertThat(LogEntryCodec.decode(LogEntryCodec.encode(entry))).isEqualTo(entry);
  }

  @Test
  void decodesFromAnOffsetAndFromBuffers() {
    LogEntry entry = new LogEntry(77, AT, watch("offset"));
    byte[] bytes = LogEntryCodec.encode(entry);
    byte[] padded = new byte[bytes.length + 10];
    System.arraycopy(bytes, 0, padded, 3, bytes.length);
    assertThat(LogEntryCodec.decode(padded, 3, bytes.length)).isEqualTo(entry);
    assertThat(LogEntryCodec.seqOf(padded, 3, bytes.length)).isEqualTo(77);
    ByteBuffer heap = ByteBuffer.wrap(padded, 3, bytes.length);
    assertThat(LogEntryCodec.decode(heap)).isEqualTo(entry);
    assertThat(heap.hasRemaining()).isFalse();
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    assertThat(LogEntryCodec.decode(direct)).isEqualTo(entry);
  }

  @Test
  void theEventPartIsIndependentOfSeqAndTime() {
    byte[] event = LogEntryCodec.encodeEvent(watch("e"));
    ByteBuffer out = ByteBuffer.allocate(LogEntryCodec.entrySize(event));
    LogEntryCodec.writeEntry(out, 5, AT, event);
    assertThat(LogEntryCodec.decode(out.array())).isEqualTo(new LogEntry(5, AT, watch("e")));
    assertThat(LogEntryCodec.decodeEvent(event)).isEqualTo(watch("e"));
  }

  @Test
  void rejectsTruncatedInput() {
    byte[] bytes = LogEntryCodec.encode(new LogEntry(1, AT, watch("t")));
    for (int length = 0; length < bytes.length; length++) {
      byte[] cut = Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> LogEntryCodec.decode(cut))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void rejectsStrayBytesAfterTheEntry() {
    byte[] bytes = LogEntryCodec.encode(new LogEntry(1, AT, watch("t")));
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> LogEntryCodec.decode(longer)).hasMessageContaining("stray");
  }

  @Test
  void rejectsAnUnknownFormatVersionOrEventTag() {
    byte[] bytes = LogEntryCodec.encode(new LogEntry(1, AT, watch("t")));
    byte[] version = bytes.clone();
    version[0] = 2;
    assertThatThrownBy(() -> LogEntryCodec.decode(version)).hasMessageContaining("version 2");
    byte[] tag = bytes.clone();
    tag[LogEntryCodec.HEADER_BYTES] = (byte) 200;
    assertThatThrownBy(() -> LogEntryCodec.decode(tag)).hasMessageContaining("event tag 200");
  }

  @Test
  void skipsFieldsALaterVersionAppendsToAnEventBody() {
    byte[] event = LogEntryCodec.encodeEvent(new SourceError("s", "f", 1, "r"));
    byte[] extended = Arrays.copyOf(event, event.length + 3);
    ByteBuffer.wrap(extended).putInt(1, event.length - 5 + 3);
    assertThat(LogEntryCodec.decodeEvent(extended)).isEqualTo(new SourceError("s", "f", 1, "r"));
  }

  @Test
  void encodesStringsAsUtf8() {
    byte[] bytes = LogEntryCodec.encode(new LogEntry(1, AT, watch("東京")));
    String raw = new String(bytes, StandardCharsets.ISO_8859_1);
    assertThat(raw)
        .contains(new String("東京".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
  }

  @Property(tries = 300)
  void everyEntryRoundTrips(@ForAll("entries") LogEntry entry) {
    assertThat(LogEntryCodec.decode(LogEntryCodec.encode(entry))).isEqualTo(entry);
  }

  @Provide
  Arbitrary<LogEntry> entries() {
    Arbitrary<String> text =
        Arbitraries.strings().all().ofMaxLength(40).filter(LogEntryCodecTest::wellFormed);
    Arbitrary<WatchEvent> watch =
        Combinators.combine(
                text,
                text,
                text,
                text,
                text,
                Arbitraries.longs(),
                Arbitraries.of(EventType.class),
                text)
            .as(
                (source, kind, ns, name, json, generation, type, rv) ->
                    new WatchEvent(
                        source, "v1", kind, ns, name, "uid", rv, generation, type, json));
    Arbitrary<SourceError> error =
        Combinators.combine(text, text, Arbitraries.integers(), text).as(SourceError::new);
    Arbitrary<Instant> at =
        Combinators.combine(
                Arbitraries.longs().between(-1_000_000_000_000L, 1_000_000_000_000L),
                Arbitraries.integers().between(0, 999_999_999))
            .as(Instant::ofEpochSecond);
    return Combinators.combine(
            Arbitraries.longs().greaterOrEqual(1),
            at,
            Arbitraries.oneOf(watch.map(LogEvent.class::cast), error.map(LogEvent.class::cast)))
        .as(LogEntry::new);
  }

  /** Text without lone surrogates, which UTF-8 cannot carry (Kubernetes JSON never has them). */
  private static boolean wellFormed(String s) {
    return StandardCharsets.UTF_8.newEncoder().canEncode(s);
  }
}
