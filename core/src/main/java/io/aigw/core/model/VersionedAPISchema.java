package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The API schema a backend speaks ({@code OpenAI}, {@code AWSBedrock}, …) with its optional version
 * and path prefix.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record VersionedAPISchema(String name, String version, String prefix) {}
