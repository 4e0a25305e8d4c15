package io.aigw.extproc.translate.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BedrockPathsTest {

  @ParameterizedTest
  @CsvSource({
    "anthropic.claude-sonnet-4-5, anthropic.claude-sonnet-4-5",
    "us.anthropic.claude-sonnet-4-5, anthropic.claude-sonnet-4-5",
    "global.anthropic.claude-sonnet-4-5, anthropic.claude-sonnet-4-5",
    "us-gov.anthropic.claude-3-haiku-20240307-v1:0, anthropic.claude-3-haiku-20240307-v1:0",
    "apac.amazon.nova-pro-v1:0, amazon.nova-pro-v1:0",
    "vendor.model-4.5, vendor.model-4.5",
    "mx.anthropic.claude-sonnet-4-5, anthropic.claude-sonnet-4-5",
    "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-x,"
        + " anthropic.claude-x",
    "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-x, anthropic.claude-x",
    "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123,"
        + " arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123",
  })
  void countsAreForTheFoundationModelOfAProfile(String model, String foundation) {
    assertThat(BedrockPaths.foundationModel(model)).isEqualTo(foundation);
  }
}
