package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** The desired state of an AIServiceBackend. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AIServiceBackendSpec(
    VersionedAPISchema schema,
    BackendObjectReference backendRef,
    HTTPHeaderMutation headerMutation,
    HTTPBodyMutation bodyMutation) {}
