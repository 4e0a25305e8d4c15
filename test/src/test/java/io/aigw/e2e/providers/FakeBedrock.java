package io.aigw.e2e.providers;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * AWS Bedrock runtime on loopback. Like AWS it refuses a request whose SigV4 signature it cannot
 * reproduce: it signs what it received again with the AWS SDK's signer, the same keys and the
 * signing time of the {@code x-amz-date} it got, for the host Envoy would send ({@code
 * bedrock-runtime.<region>.amazonaws.com}); the loopback {@code Host} is the harness's, not the
 * signed one. Converse gets a recorded-shape JSON answer, ConverseStream an event stream encoded
 * with the AWS SDK's {@code Message} and cut into several HTTP chunks across frame boundaries.
 */
final class FakeBedrock implements AutoCloseable {

  static final String REGION = "us-east-1";
  static final String HOST = "bedrock-runtime." + REGION + ".amazonaws.com";
  static final String ACCESS_KEY_ID = "AKIDEXAMPLE";
  static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

  /** A Converse answer in the shape Bedrock records (reference §3.1). */
  static final String CONVERSE =
      "{\"metrics\":{\"latencyMs\":421},\"output\":{\"message\":{\"content\":[{\"text\":"
          + "\"Hello! How can I help you today?\"}],\"role\":\"assistant\"}},"
          + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":12,\"outputTokens\":9,"
          + "\"totalTokens\":21,\"cacheReadInputTokens\":3}}";

  /** The text pieces the ConverseStream answer carries, in order. */
  static final List<String> STREAMED_TEXT = List.of("Hel", "lo", " from", " Bedrock", "!");

  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private final FakeEndpoint endpoint;

  /** Per request: whether the signature was reproduced, and the one the fake computed. */
  record Verdict(boolean valid, String expectedAuthorization, String expectedContentSha256) {}

  final List<Verdict> verdicts = new java.util.concurrent.CopyOnWriteArrayList<>();

  FakeBedrock(Vertx vertx) {
    this.endpoint = FakeEndpoint.start(vertx, this::answer);
  }

  int port() {
    return endpoint.port();
  }

  List<FakeEndpoint.Received> requests() {
    return endpoint.requests();
  }

  private void answer(FakeEndpoint.Received request, HttpServerResponse response) {
    Verdict verdict = verify(request);
    verdicts.add(verdict);
    response.putHeader("x-amzn-requestid", "7a6d2c3e-0000-4000-8000-000000000001");
    if (!verdict.valid()) {
      response
          .setStatusCode(403)
          .putHeader("content-type", "application/json")
          .putHeader("x-amzn-errortype", "InvalidSignatureException")
          .end(
              "{\"message\":\"The request signature we calculated does not match the signature"
                  + " you provided.\"}");
      return;
    }
    if (request.uri().endsWith("/invoke")) {
      // Amazon Titan's embedding answer
      response
          .putHeader("content-type", "application/json")
          .end("{\"embedding\":[0.25,-0.5,1.0],\"inputTextTokenCount\":3}");
      return;
    }
    if (request.uri().endsWith("/converse-stream")) {
      response.putHeader("content-type", "application/vnd.amazon.eventstream").setChunked(true);
      writeInPieces(response, converseStream(), 0);
      return;
    }
    response.putHeader("content-type", "application/json").end(CONVERSE);
  }

  private static Verdict verify(FakeEndpoint.Received request) {
    String amzDate = request.headers().getOrDefault("x-amz-date", "");
    if (amzDate.isEmpty()) {
      return new Verdict(false, "", "");
    }
    Clock signingTime =
        Clock.fixed(
            LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
    SdkHttpRequest unsigned =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.fromValue(request.method()))
            .uri(URI.create("https://" + HOST + request.uri()))
            .build();
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(AwsCredentialsIdentity.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY))
                        .request(unsigned)
                        .payload(ContentStreamProvider.fromByteArray(request.body()))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
                        .putProperty(HttpSigner.SIGNING_CLOCK, signingTime));
    String authorization = header(signed, "Authorization");
    String sha256 = header(signed, "x-amz-content-sha256");
    boolean valid =
        authorization.equals(request.headers().get("authorization"))
            && sha256.equals(request.headers().get("x-amz-content-sha256"));
    return new Verdict(valid, authorization, sha256);
  }

  private static String header(SignedRequest signed, String name) {
    Optional<String> value = signed.request().firstMatchingHeader(name);
    return value.orElse("");
  }

  /** A ConverseStream answer: role, text deltas, stop, usage; each frame from the SDK encoder. */
  static byte[] converseStream() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frame(out, "messageStart", "{\"role\":\"assistant\",\"p\":\"abcdefghijk\"}");
    for (String text : STREAMED_TEXT) {
      frame(
          out,
          "contentBlockDelta",
          "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"" + text + "\"},\"p\":\"abcd\"}");
    }
    frame(out, "contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"ab\"}");
    frame(out, "messageStop", "{\"stopReason\":\"end_turn\",\"p\":\"abcdefg\"}");
    frame(
        out,
        "metadata",
        "{\"usage\":{\"inputTokens\":15,\"outputTokens\":6,\"totalTokens\":21},"
            + "\"metrics\":{\"latencyMs\":233},\"p\":\"abc\"}");
    return out.toByteArray();
  }

  private static void frame(ByteArrayOutputStream out, String type, String json) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":event-type", HeaderValue.fromString(type));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("event"));
    ByteBuffer buffer = new Message(headers, json.getBytes(StandardCharsets.UTF_8)).toByteBuffer();
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    out.writeBytes(bytes);
  }

  /** 37-byte pieces: every frame is cut, and pieces hold the end of one frame and the next. */
  private static void writeInPieces(HttpServerResponse response, byte[] body, int from) {
    if (from >= body.length) {
      response.end();
      return;
    }
    int to = Math.min(body.length, from + 37);
    response
        .write(Buffer.buffer(java.util.Arrays.copyOfRange(body, from, to)))
        .onComplete(ignored -> writeInPieces(response, body, to));
  }

  @Override
  public void close() {
    endpoint.close();
  }
}
