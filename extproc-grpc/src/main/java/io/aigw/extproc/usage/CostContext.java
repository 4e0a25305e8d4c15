package io.aigw.extproc.usage;

/**
 * What a cost expression may look at besides the token counts.
 *
 * @param model the effective model (the override when one applied, else the request's)
 * @param backend the chosen candidate under upstream's full name ({@code
 *     <namespace>/<backend>/route/<route>/rule/<i>/ref/<j>}, {@link
 *     io.aigw.extproc.processor.BackendChoice#fullName})
 * @param routeName the route as {@code <namespace>/<name>}
 */
public record CostContext(String model, String backend, String routeName) {}
