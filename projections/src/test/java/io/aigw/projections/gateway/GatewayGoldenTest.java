package io.aigw.projections.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The desired resources of every upstream example and translate input, compared with the reviewed
 * files under {@code src/test/resources/golden}. Regenerate them with {@code
 * -Daigw.golden.update=true}, then review the diff before committing.
 */
class GatewayGoldenTest {

  static final Path GOLDEN = Fixtures.ROOT.resolve("projections/src/test/resources/golden");
  static final boolean UPDATE = Boolean.getBoolean("aigw.golden.update");

  static Stream<Path> inputs() throws IOException {
    List<Path> files;
    try (Stream<Path> examples = Files.walk(Fixtures.UPSTREAM.resolve("examples"));
        Stream<Path> translate = Files.list(Fixtures.UPSTREAM.resolve("translate"))) {
      files =
          Stream.concat(examples, translate)
              .filter(p -> p.toString().endsWith(".yaml"))
              .sorted()
              .toList();
    }
    return files.stream();
  }

  static String translate(Path input) {
    var projection = new GatewayProjection();
    return projection.applyAll(projection.initial(), Fixtures.entriesOf(input)).desiredYaml();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void desiredResourcesMatchTheReviewedGoldenFile(Path input) throws IOException {
    String actual = translate(input);
    Path golden = GOLDEN.resolve(Fixtures.UPSTREAM.relativize(input));
    if (UPDATE) {
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, actual);
    }
    assertThat(golden).exists();
    assertThat(actual).isEqualTo(Files.readString(golden));
  }

  @Test
  void v1alpha1AndV1beta1InputsTranslateByteForByteTheSame() {
    Path translate = Fixtures.UPSTREAM.resolve("translate");
    String beta = translate(translate.resolve("translate_basic.in.yaml"));
    String alpha = translate(translate.resolve("translate_basic_v1alpha1.in.yaml"));
    assertThat(beta).isNotEmpty().isEqualTo(alpha);
  }

  @Test
  void everyInputIsCovered() throws IOException {
    assertThat(inputs().count()).isEqualTo(21);
  }
}
