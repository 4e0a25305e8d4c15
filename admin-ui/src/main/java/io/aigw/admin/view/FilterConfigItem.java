package io.aigw.admin.view;

import com.fasterxml.jackson.databind.JsonNode;

/** The filter config of one AIGatewayRoute (secret references only, never values). */
public record FilterConfigItem(String namespace, String name, JsonNode config) {}
