package io.aigw.extproc.auth;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * AWS keys when a policy names no credentials file, in the order of the AWS SDKs' default chain,
 * each link passing to the next when it has none: the environment ({@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}), IRSA's web identity, the shared
 * credentials file ({@code AWS_SHARED_CREDENTIALS_FILE} or {@code ~/.aws/credentials}, profile
 * {@code AWS_PROFILE} or {@code default}), then a container credentials endpoint such as EKS Pod
 * Identity's ({@link AwsRoleCredentials} fetches the last two's).
 */
public final class AwsDefaultCredentials {

  static final AwsDefaultCredentials SHARED = fromEnvironment(System.getenv());

  private final Map<String, String> env;
  private final RecheckedFile sharedFile;
  private final Optional<RenewedCredential<RequestCredential.AwsKeys>> webIdentity;
  private final Optional<RenewedCredential<RequestCredential.AwsKeys>> container;
  private final AwsCredentialsFile parsed = new AwsCredentialsFile();

  AwsDefaultCredentials(Map<String, String> env, Function<Path, Optional<String>> files) {
    this(env, files, System::nanoTime, Optional.empty(), Optional.empty());
  }

  AwsDefaultCredentials(
      Map<String, String> env,
      Function<Path, Optional<String>> files,
      LongSupplier nanoClock,
      Optional<RenewedCredential<RequestCredential.AwsKeys>> webIdentity,
      Optional<RenewedCredential<RequestCredential.AwsKeys>> container) {
    this.env = Map.copyOf(env);
    this.sharedFile = new RecheckedFile(files, nanoClock);
    this.webIdentity = webIdentity;
    this.container = container;
  }

  private static AwsDefaultCredentials fromEnvironment(Map<String, String> env) {
    return new AwsDefaultCredentials(
        env,
        RecheckedFile::read,
        System::nanoTime,
        AwsRoleCredentials.webIdentity(env, Clock.systemUTC(), RenewedCredential.Timing.DEFAULT),
        AwsRoleCredentials.container(env, Clock.systemUTC(), RenewedCredential.Timing.DEFAULT));
  }

  /**
   * Starts fetching the credentials of the pod's identity when the environment configures one, so
   * that they are there by the first request ({@code aigw extproc} calls it at start); the first
   * request would start it otherwise.
   */
  public static void prefetch() {
    SHARED.webIdentity.ifPresent(RenewedCredential::start);
    SHARED.container.ifPresent(RenewedCredential::start);
  }

  Optional<RequestCredential.AwsKeys> keys() {
    String id = env.get("AWS_ACCESS_KEY_ID");
    String secret = env.get("AWS_SECRET_ACCESS_KEY");
    if (id != null && !id.isBlank() && secret != null && !secret.isBlank()) {
      return Optional.of(
          new RequestCredential.AwsKeys(
              id.strip(),
              secret.strip(),
              Optional.ofNullable(env.get("AWS_SESSION_TOKEN")).filter(s -> !s.isBlank())));
    }
    Optional<RequestCredential.AwsKeys> fetched = fetched(webIdentity);
    if (fetched.isPresent()) {
      return fetched;
    }
    String file = env.get("AWS_SHARED_CREDENTIALS_FILE");
    Path path =
        file != null && !file.isBlank()
            ? Path.of(file)
            : Path.of(System.getProperty("user.home", "/"), ".aws", "credentials");
    String profile = env.getOrDefault("AWS_PROFILE", "default");
    Optional<RequestCredential.AwsKeys> inFile =
        sharedFile.text(path).flatMap(text -> parsed.keys(text, profile));
    return inFile.isPresent() ? inFile : fetched(container);
  }

  private static Optional<RequestCredential.AwsKeys> fetched(
      Optional<RenewedCredential<RequestCredential.AwsKeys>> link) {
    if (link.isEmpty()) {
      return Optional.empty();
    }
    link.get().start();
    return link.get().current();
  }
}
