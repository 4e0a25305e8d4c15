package io.aigw.extproc.auth;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.aigw.core.filterconfig.CredentialOverride;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the credential a request brings for its backend ({@code auth.credentialOverride}): from a
 * request header (for AWS a prefix of three headers) or from the dynamic metadata a filter in front
 * of the ExtProc set (for AWS a struct {@code accessKeyId}, {@code secretAccessKey}, {@code
 * sessionToken}). Never logs a value.
 */
public final class CredentialOverrides {

  private CredentialOverrides() {}

  /** What the request brought. */
  public sealed interface Lookup {
    /** A credential to use instead of the configured one. */
    record Found(RequestCredential credential) implements Lookup {}

    /** Nothing: fall back to the configured credential, or refuse with 401. */
    record Absent() implements Lookup {}

    /** Half a credential (an AWS key id without its secret): the gateway cannot go on. */
    record Invalid(String reason) implements Lookup {}
  }

  /**
   * Looks for the credential.
   *
   * @param aws whether the backend signs with AWS keys
   * @param headers request headers, lower-case names
   * @param metadata the request's {@code metadata_context.filter_metadata}
   */
  public static Lookup read(
      CredentialOverride override,
      boolean aws,
      Map<String, String> headers,
      Map<String, Struct> metadata) {
    if (override.headerName() != null && !override.headerName().isEmpty()) {
      String name = override.headerName();
      return aws
          ? awsKeys(
              headers.get(name + "access-key-id"),
              headers.get(name + "secret-access-key"),
              headers.get(name + "session-token"))
          : token(headers.get(name));
    }
    Struct namespace =
        override.dynamicMetadataNamespace() == null
            ? null
            : metadata.get(override.dynamicMetadataNamespace());
    Value value =
        namespace == null || override.dynamicMetadataKey() == null
            ? null
            : namespace.getFieldsMap().get(override.dynamicMetadataKey());
    if (value == null) {
      return new Lookup.Absent();
    }
    if (!aws) {
      return value.hasStringValue() ? token(value.getStringValue()) : new Lookup.Absent();
    }
    if (!value.hasStructValue()) {
      return new Lookup.Absent();
    }
    Map<String, Value> fields = value.getStructValue().getFieldsMap();
    return awsKeys(
        text(fields.get("accessKeyId")),
        text(fields.get("secretAccessKey")),
        text(fields.get("sessionToken")));
  }

  private static String text(Value value) {
    return value == null || !value.hasStringValue() ? null : value.getStringValue();
  }

  private static Lookup token(String value) {
    return blank(value)
        ? new Lookup.Absent()
        : new Lookup.Found(new RequestCredential.Token(value.strip()));
  }

  private static Lookup awsKeys(String id, String secret, String session) {
    if (blank(id) && blank(secret)) {
      return new Lookup.Absent();
    }
    if (blank(id) || blank(secret)) {
      return new Lookup.Invalid(
          "the request brought only one of the AWS access key id and secret access key");
    }
    return new Lookup.Found(
        new RequestCredential.AwsKeys(
            id.strip(), secret.strip(), Optional.ofNullable(session).filter(s -> !blank(s))));
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
