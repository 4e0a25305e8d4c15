package io.aigw.core.codec;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Strings of any characters UTF-8 can encode, as the log's string fields take them. */
final class EncodableText {

  private EncodableText() {}

  static Arbitrary<String> upTo(int maxLength) {
    return Arbitraries.strings()
        .all()
        .ofMaxLength(maxLength)
        .filter(s -> StandardCharsets.UTF_8.newEncoder().canEncode(s));
  }
}
