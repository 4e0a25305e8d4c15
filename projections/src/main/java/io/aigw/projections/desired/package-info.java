/**
 * The Kubernetes objects each AIGatewayRoute needs ({@link
 * io.aigw.projections.desired.DesiredResourcesProjection}) as lazily rendered {@link
 * io.aigw.projections.desired.DesiredResource}s with their provenance.
 */
package io.aigw.projections.desired;
