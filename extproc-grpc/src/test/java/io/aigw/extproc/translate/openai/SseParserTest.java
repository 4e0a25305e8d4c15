package io.aigw.extproc.translate.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SseParserTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> data(List<SseEvent> events) {
    return events.stream().map(e -> e.data().orElse("<none>")).toList();
  }

  @Test
  void readsSeveralEventsFromOneChunk() {
    SseParser parser = new SseParser();
    List<SseEvent> events = parser.feed(utf8("data: a\n\ndata:b\n\nevent: x\ndata: c\n\n"));
    assertThat(data(events)).containsExactly("a", "b", "c");
    assertThat(parser.pendingBytes()).isZero();
  }

  @Test
  void joinsAnEventSplitAcrossChunksAndKeepsItsRawBytes() {
    SseParser parser = new SseParser();
    assertThat(parser.feed(utf8("data: {\"a\":"))).isEmpty();
    assertThat(parser.feed(utf8("1}\n"))).isEmpty();
    List<SseEvent> events = parser.feed(utf8("\ndata: [DONE]\n\n"));
    assertThat(data(events)).containsExactly("{\"a\":1}", "[DONE]");
    assertThat(new String(events.get(0).raw(), StandardCharsets.UTF_8))
        .isEqualTo("data: {\"a\":1}\n\n");
    assertThat(events.get(1).isDone()).isTrue();
  }

  @Test
  void acceptsCrLfAndCrLineEndsEvenWhenACrLfIsSplit() {
    SseParser parser = new SseParser();
    List<SseEvent> events = new ArrayList<>(parser.feed(utf8("data: a\r\n\r")));
    events.addAll(parser.feed(utf8("\ndata: b\r\rdata: c\ndata: d\n\n")));
    assertThat(data(events)).containsExactly("a", "b", "c\nd");
  }

  @Test
  void aByteOrderMarkOpeningTheStreamIsNotPartOfItsFirstLineEvenWhenSplit() {
    SseParser parser = new SseParser();
    assertThat(parser.feed(new byte[] {(byte) 0xEF})).isEmpty();
    byte[] text = utf8("data: a\n\ndata: b\n\n");
    byte[] restOfBom = new byte[text.length + 2];
    restOfBom[0] = (byte) 0xBB;
    restOfBom[1] = (byte) 0xBF;
    System.arraycopy(text, 0, restOfBom, 2, text.length);
    List<SseEvent> events = parser.feed(restOfBom);
    assertThat(events)
        .extracting(SseEvent::data)
        .containsExactly(Optional.of("a"), Optional.of("b"));
    assertThat(events.get(0).raw()).as("the bytes as they came").startsWith((byte) 0xEF);
  }

  @Test
  void finishReturnsAnUnterminatedTail() {
    SseParser parser = new SseParser();
    parser.feed(utf8("data: a\n\ndata: partial"));
    assertThat(new String(parser.finish(), StandardCharsets.UTF_8)).isEqualTo("data: partial");
  }

  @Test
  void decodesMultiByteCharactersSplitBetweenChunks() {
    byte[] all = utf8("data: héllo ’\n\n");
    SseParser parser = new SseParser();
    List<SseEvent> events = new ArrayList<>();
    for (byte b : all) {
      events.addAll(parser.feed(new byte[] {b}));
    }
    assertThat(data(events)).containsExactly("héllo ’");
  }

  @Property(tries = 300)
  void anyChunkingGivesTheSameEventsAndBytes(
      @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 3) Integer> kinds,
      @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 1, max = 40) Integer> cuts) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < kinds.size(); i++) {
      switch (kinds.get(i)) {
        case 0 -> text.append("data: {\"i\":").append(i).append("}\n\n");
        case 1 -> text.append("event: e\r\ndata: line").append(i).append("\r\ndata: two\r\n\r\n");
        case 2 -> text.append(": comment\ndata:").append(i).append("\n\n");
        default -> text.append("data: [DONE]\n\n");
      }
    }
    byte[] bytes = utf8(text.toString());
    List<SseEvent> whole = new SseParser().feed(bytes);
    SseParser parser = new SseParser();
    List<SseEvent> pieces = new ArrayList<>();
    int at = 0;
    int cut = 0;
    while (at < bytes.length) {
      int n = Math.min(bytes.length - at, cuts.get(cut++ % cuts.size()));
      byte[] chunk = new byte[n];
      System.arraycopy(bytes, at, chunk, 0, n);
      pieces.addAll(parser.feed(chunk));
      at += n;
    }
    assertThat(data(pieces)).isEqualTo(data(whole));
    StringBuilder raw = new StringBuilder();
    pieces.forEach(e -> raw.append(new String(e.raw(), StandardCharsets.UTF_8)));
    assertThat(raw.toString()).isEqualTo(text.toString());
  }
}
