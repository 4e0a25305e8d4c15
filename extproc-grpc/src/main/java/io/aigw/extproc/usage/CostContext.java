package io.aigw.extproc.usage;

/**
 * What a cost expression may look at besides the token counts.
 *
 * @param model the effective model (the override when one applied, else the request's)
 * @param backend the backend as {@code <namespace>/<name>}
 * @param routeName the route as {@code <namespace>/<name>}
 */
public record CostContext(String model, String backend, String routeName) {}
