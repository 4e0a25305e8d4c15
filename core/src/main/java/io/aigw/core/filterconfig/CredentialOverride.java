package io.aigw.core.filterconfig;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Locale;

/**
 * A request may bring its own backend credential, set by a trusted filter in front of the ExtProc.
 * Exactly one source is set: a request header or a dynamic-metadata entry.
 *
 * @param headerName the request header holding the credential (lower case); for AWS a prefix: the
 *     headers are {@code <prefix>access-key-id}, {@code <prefix>secret-access-key}, {@code
 *     <prefix>session-token}
 * @param dynamicMetadataNamespace the metadata namespace to read from, or null
 * @param dynamicMetadataKey the metadata key (for AWS a struct {@code accessKeyId}, {@code
 *     secretAccessKey}, {@code sessionToken}), or null
 * @param fallbackToConfigured use the backend's configured credential when the request brings none
 *     (otherwise answer 401)
 * @param inputHeadersToRemove the headers to strip before the request leaves for the backend
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public record CredentialOverride(
    String headerName,
    String dynamicMetadataNamespace,
    String dynamicMetadataKey,
    boolean fallbackToConfigured,
    List<String> inputHeadersToRemove) {

  public CredentialOverride {
    // header names are case-insensitive and a request's arrive in lower case
    headerName = headerName == null ? null : headerName.toLowerCase(Locale.ROOT);
    inputHeadersToRemove =
        inputHeadersToRemove == null
            ? List.of()
            : inputHeadersToRemove.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
  }

  /** Whether the credential comes from dynamic metadata rather than a header. */
  public boolean readsMetadata() {
    return dynamicMetadataNamespace != null;
  }
}
