package io.aigw.extproc.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

  /** How often the shared credentials file is read at most: requests run on the event loop. */
  private static final long RECHECK_NANOS = 1_000_000_000L;

  private record Read(Path path, Optional<String> text, long at) {}

  private final Map<String, String> env;
  private final Function<Path, Optional<String>> files;
  private final LongSupplier nanoClock;
  private final Optional<RenewedCredential<RequestCredential.AwsKeys>> webIdentity;
  private final Optional<RenewedCredential<RequestCredential.AwsKeys>> container;
  private final AwsCredentialsFile parsed = new AwsCredentialsFile();
  private volatile Read last;

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
    this.files = files;
    this.nanoClock = nanoClock;
    this.webIdentity = webIdentity;
    this.container = container;
  }

  private static AwsDefaultCredentials fromEnvironment(Map<String, String> env) {
    return new AwsDefaultCredentials(
        env,
        AwsDefaultCredentials::readFile,
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
        text(path).flatMap(text -> parsed.keys(text, profile));
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

  /** The file's text, read again only once {@link #RECHECK_NANOS} have passed. */
  private Optional<String> text(Path path) {
    long now = nanoClock.getAsLong();
    Read seen = last;
    if (seen != null && seen.path().equals(path) && now - seen.at() < RECHECK_NANOS) {
      return seen.text();
    }
    Optional<String> text = files.apply(path);
    last = new Read(path, text, now);
    return text;
  }

  private static Optional<String> readFile(Path path) {
    try {
      return Files.isReadable(path)
          ? Optional.of(Files.readString(path, StandardCharsets.UTF_8))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
