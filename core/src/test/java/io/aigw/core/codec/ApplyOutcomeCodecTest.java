package io.aigw.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.event.ApplyOutcome;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.Outcome;
import java.time.Instant;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ApplyOutcomeCodecTest {

  private static final Instant AT = Instant.parse("2025-03-04T05:06:07Z");

  @Test
  void keepsItsByteLayoutStable() {
    ApplyOutcome outcome =
        new ApplyOutcome("k", "v1", "ConfigMap", "n", "c", "", Outcome.PATCHED, "", 258);
    String hex = HexFormat.of().formatHex(LogEntryCodec.encodeEvent(outcome));
    assertThat(hex)
        .isEqualTo(
            "03"
                + "00000033"
                + "000000016b"
                + "000000027631"
                + "00000009436f6e6669674d6170"
                + "000000016e"
                + "0000000163"
                + "00000000"
                + "02"
                + "00000000"
                + "0000000000000102");
  }

  @Test
  void encodesEveryOutcomeWithItsOwnCode() {
    for (Outcome each : Outcome.values()) {
      ApplyOutcome outcome = new ApplyOutcome("k", "v1", "Service", "n", "s", "", each, "r", 1);
      assertThat(LogEntryCodec.decodeEvent(LogEntryCodec.encodeEvent(outcome))).isEqualTo(outcome);
    }
  }

  @Test
  void describesWhatHappenedInALogLinesWords() {
    assertThat(
            new ApplyOutcome(
                    "k",
                    "gateway.networking.k8s.io/v1",
                    "HTTPRoute",
                    "default",
                    "chat",
                    "",
                    Outcome.CREATED,
                    "",
                    7)
                .describe())
        .isEqualTo("Created HTTPRoute default/chat");
    assertThat(
            new ApplyOutcome(
                    "k",
                    "aigateway.envoyproxy.io/v1beta1",
                    "AIGatewayRoute",
                    "default",
                    "chat",
                    "status",
                    Outcome.FAILED,
                    "403 Forbidden",
                    7)
                .describe())
        .isEqualTo("Failed AIGatewayRoute default/chat status: 403 Forbidden");
  }

  @Property(tries = 200)
  void everyOutcomeEntryRoundTrips(@ForAll("outcomes") LogEntry entry) {
    assertThat(LogEntryCodec.decode(LogEntryCodec.encode(entry))).isEqualTo(entry);
  }

  @Provide
  Arbitrary<LogEntry> outcomes() {
    Arbitrary<String> text = EncodableText.upTo(30);
    Arbitrary<ApplyOutcome> outcome =
        Combinators.combine(
                text,
                text,
                text,
                text,
                Arbitraries.of("", "status"),
                Arbitraries.of(Outcome.class),
                text,
                Arbitraries.longs().greaterOrEqual(0))
            .as(
                (source, kind, ns, name, sub, what, reason, seq) ->
                    new ApplyOutcome(source, "v1", kind, ns, name, sub, what, reason, seq));
    return Combinators.combine(Arbitraries.longs().greaterOrEqual(1), outcome)
        .as((seq, event) -> new LogEntry(seq, AT, event));
  }
}
