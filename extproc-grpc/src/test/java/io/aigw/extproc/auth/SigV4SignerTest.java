package io.aigw.extproc.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.filterconfig.BackendAuth;
import io.aigw.core.filterconfig.CredentialFile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SDK's signature checked against an independent SigV4 computation. */
class SigV4SignerTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC);
  private static final String BODY = "{\"messages\":[],\"inferenceConfig\":{}}";
  private static final String PATH = "/model/us.meta.llama3-2-1b-instruct-v1:0/converse";

  private static byte[] hmac(byte[] key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(String data) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(data.getBytes(StandardCharsets.UTF_8)));
  }

  /** SigV4 from the specification, the path URI-encoded once more (all services but S3). */
  static String expectedSignature(
      String secret, String region, String host, Map<String, String> signedHeaders)
      throws Exception {
    String canonicalUri = PATH.replace(":", "%3A");
    TreeMap<String, String> headers = new TreeMap<>(signedHeaders);
    headers.put("host", host);
    String canonicalHeaders =
        headers.entrySet().stream()
            .map(e -> e.getKey() + ":" + e.getValue() + "\n")
            .collect(Collectors.joining());
    String names = String.join(";", headers.keySet());
    String canonical =
        "POST\n" + canonicalUri + "\n\n" + canonicalHeaders + "\n" + names + "\n" + sha256(BODY);
    String date = headers.get("x-amz-date");
    String scope = date.substring(0, 8) + "/" + region + "/bedrock/aws4_request";
    String toSign = "AWS4-HMAC-SHA256\n" + date + "\n" + scope + "\n" + sha256(canonical);
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date.substring(0, 8));
    key = hmac(key, region);
    key = hmac(key, "bedrock");
    key = hmac(key, "aws4_request");
    return HexFormat.of().formatHex(hmac(key, toSign));
  }

  private static Map<String, String> asMap(List<CredentialInjector.AuthHeader> headers) {
    return headers.stream()
        .collect(
            Collectors.toMap(
                CredentialInjector.AuthHeader::name, CredentialInjector.AuthHeader::value));
  }

  @Test
  void signsTheFinalPathAndBodyAsTheSpecificationSays() throws Exception {
    var keys = new RequestCredential.AwsKeys("AKIDEXAMPLE", "secret", Optional.of("session"));
    Map<String, String> headers =
        asMap(
            SigV4Signer.sign(
                keys,
                new SigV4Signer.Scope(
                    "bedrock", "us-east-1", "bedrock-runtime.us-east-1.amazonaws.com"),
                new CredentialInjector.Outbound(
                    "POST", PATH, BODY.getBytes(StandardCharsets.UTF_8)),
                CLOCK));
    assertThat(headers).containsEntry("x-amz-date", "20250102T030405Z");
    assertThat(headers).containsEntry("x-amz-security-token", "session");
    assertThat(headers).containsEntry("x-amz-content-sha256", sha256(BODY));
    Map<String, String> signed = new TreeMap<>(headers);
    signed.remove("authorization");
    String signature =
        expectedSignature("secret", "us-east-1", "bedrock-runtime.us-east-1.amazonaws.com", signed);
    assertThat(headers.get("authorization"))
        .isEqualTo(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250102/us-east-1/bedrock/aws4_request, "
                + "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, "
                + "Signature="
                + signature);
  }

  @Test
  void theInjectorReadsTheProfileOfTheCredentialsFileAndSignsForTheRegion() throws Exception {
    String file =
        "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n\n"
            + "[profile team]\naws_access_key_id=AKIDTEAM\naws_secret_access_key=s2\n";
    CredentialFile ref =
        new CredentialFile(
            "/creds", new CredentialFile.SecretKeyRef("default", "aws", "credentials"));
    var outcome =
        (CredentialInjector.Outcome.Headers)
            CredentialInjector.headers(
                Optional.of(new BackendAuth.Aws("eu-west-1", ref, "team")),
                f -> Optional.of(file),
                new CredentialInjector.Outbound(
                    "POST", PATH, BODY.getBytes(StandardCharsets.UTF_8)),
                Optional.empty(),
                CLOCK);
    Map<String, String> headers = asMap(outcome.headers());
    assertThat(headers.get("authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEAM/20250102/eu-west-1/bedrock/aws4_request")
        .doesNotContain("x-amz-security-token");
    Map<String, String> signed = new TreeMap<>(headers);
    signed.remove("authorization");
    assertThat(headers.get("authorization"))
        .endsWith(
            "Signature="
                + expectedSignature(
                    "s2", "eu-west-1", "bedrock-runtime.eu-west-1.amazonaws.com", signed));
    assertThat(outcome.headers().toString()).doesNotContain("s2");
  }

  @ParameterizedTest
  @CsvSource({
    // FIPS and PrivateLink endpoints are signed for their own host, in the region they name
    "us-east-1, bedrock-runtime-fips.us-gov-west-1.amazonaws.com, us-gov-west-1",
    "us-east-1, vpce-0a1b-x2y3.bedrock-runtime.eu-central-1.vpce.amazonaws.com, eu-central-1",
    "us-east-1, Bedrock-Runtime.ap-south-1.API.aws, ap-south-1",
    // a host of another shape keeps the policy's region
    "eu-west-1, bedrock.internal.example.com, eu-west-1",
  })
  void aBackendsOwnEndpointIsSignedForItsHostAndRegion(
      String policyRegion, String host, String signingRegion) throws Exception {
    var keys = new RequestCredential.AwsKeys("AKIDEXAMPLE", "secret", Optional.empty());
    var outcome =
        (CredentialInjector.Outcome.Headers)
            CredentialInjector.headers(
                Optional.of(new BackendAuth.Aws(policyRegion, null, null, host)),
                f -> Optional.empty(),
                new CredentialInjector.Outbound(
                    "POST", PATH, BODY.getBytes(StandardCharsets.UTF_8)),
                Optional.of(keys),
                CLOCK);
    Map<String, String> headers = asMap(outcome.headers());
    Map<String, String> signed = new TreeMap<>(headers);
    signed.remove("authorization");
    assertThat(headers.get("authorization"))
        .startsWith(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250102/" + signingRegion + "/bedrock/")
        .endsWith(
            "Signature="
                + expectedSignature(
                    "secret", signingRegion, host.toLowerCase(java.util.Locale.ROOT), signed));
  }

  @Test
  void aFileWithoutTheProfileGivesNoCredential() {
    assertThat(
            AwsCredentialsFile.parse(
                "[other]\naws_access_key_id=a\naws_secret_access_key=b", "default"))
        .isEmpty();
    assertThat(AwsCredentialsFile.parse("[default]\naws_access_key_id=a\n", "default")).isEmpty();
    assertThat(
            new AwsDefaultCredentials(
                    Map.of("AWS_ACCESS_KEY_ID", "AKIDENV", "AWS_SECRET_ACCESS_KEY", "x"),
                    p -> Optional.empty())
                .keys())
        .hasValueSatisfying(k -> assertThat(k.accessKeyId()).isEqualTo("AKIDENV"));
    assertThat(
            new AwsDefaultCredentials(
                    Map.of("AWS_SHARED_CREDENTIALS_FILE", "/f", "AWS_PROFILE", "p"),
                    p -> Optional.of("[p]\naws_access_key_id=AKIDFILE\naws_secret_access_key=y"))
                .keys())
        .hasValueSatisfying(k -> assertThat(k.accessKeyId()).isEqualTo("AKIDFILE"));
  }

  @Test
  void theSharedCredentialsFileIsReadAtMostOnceASecond() {
    java.util.concurrent.atomic.AtomicInteger reads =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
    AwsDefaultCredentials credentials =
        new AwsDefaultCredentials(
            Map.of(),
            p -> {
              reads.incrementAndGet();
              return Optional.of(
                  "[default]\naws_access_key_id=AKID" + reads.get() + "\naws_secret_access_key=y");
            },
            now::get,
            Optional.empty(),
            Optional.empty());
    for (int i = 0; i < 100; i++) {
      assertThat(credentials.keys())
          .hasValueSatisfying(k -> assertThat(k.accessKeyId()).isEqualTo("AKID1"));
    }
    assertThat(reads).hasValue(1);
    // a second later a rotated file is seen
    now.addAndGet(1_000_000_000L);
    assertThat(credentials.keys())
        .hasValueSatisfying(k -> assertThat(k.accessKeyId()).isEqualTo("AKID2"));
  }
}
