package io.aigw.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.event.LogEntry;
import io.aigw.core.event.RotationOutcome;
import java.time.Instant;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class RotationOutcomeCodecTest {

  private static final Instant AT = Instant.parse("2025-03-04T05:06:07Z");

  @Test
  void keepsItsByteLayoutStable() {
    RotationOutcome outcome = new RotationOutcome("k", "n", "p", "u", 3, "x");
    assertThat(HexFormat.of().formatHex(LogEntryCodec.encodeEvent(outcome)))
        .isEqualTo(
            "04"
                + "00000021"
                + "000000016b"
                + "000000016e"
                + "0000000170"
                + "0000000175"
                + "0000000000000003"
                + "0000000178");
  }

  @Test
  void describesWhatHappenedInALogLinesWords() {
    assertThat(new RotationOutcome("k", "default", "aws", "u", 1, "").describe())
        .isEqualTo("Rotated the credential of BackendSecurityPolicy default/aws");
    assertThat(new RotationOutcome("k", "default", "aws", "u", 1, "STS answered 403").describe())
        .isEqualTo(
            "Failed to rotate the credential of BackendSecurityPolicy default/aws: STS answered"
                + " 403");
  }

  @Property(tries = 200)
  void everyRotationEntryRoundTrips(@ForAll("rotations") LogEntry entry) {
    assertThat(LogEntryCodec.decode(LogEntryCodec.encode(entry))).isEqualTo(entry);
  }

  @Provide
  Arbitrary<LogEntry> rotations() {
    Arbitrary<String> text = EncodableText.upTo(30);
    Arbitrary<RotationOutcome> outcome =
        Combinators.combine(text, text, text, text, Arbitraries.longs(), text)
            .as(RotationOutcome::new);
    return Combinators.combine(Arbitraries.longs().greaterOrEqual(1), outcome)
        .as((seq, event) -> new LogEntry(seq, AT, event));
  }
}
