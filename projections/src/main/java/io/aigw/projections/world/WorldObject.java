package io.aigw.projections.world;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.WatchEvent;

/**
 * The current version of one observed object and the seq of the entry that last changed it. {@code
 * object} is the parsed {@link WatchEvent#objectJson()}, shared and never mutated.
 */
public record WorldObject(ObjectKey key, WatchEvent event, JsonNode object, long seq) {}
