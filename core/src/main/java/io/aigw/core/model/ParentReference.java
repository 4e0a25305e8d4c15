package io.aigw.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Gateway API {@code ParentReference}: the Gateway (listener) a route attaches to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ParentReference(
    String group, String kind, String namespace, String name, String sectionName, Integer port) {}
