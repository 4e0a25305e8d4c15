/**
 * The objects aigw generates for each AIGatewayRoute (HTTPRoute, HTTPRouteFilter,
 * EnvoyExtensionPolicy, and the ExtProc's ConfigMap, Deployment and Service) as records holding
 * only the fields aigw sets, and {@link io.aigw.core.model.gateway.Names}, every name, label,
 * annotation, port and path they share. The projections build them; writers turn them into sorted
 * JSON/YAML.
 */
package io.aigw.core.model.gateway;
