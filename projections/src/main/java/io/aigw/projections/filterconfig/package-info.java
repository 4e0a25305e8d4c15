/**
 * Translation of one AIGatewayRoute and what it references into its {@link
 * io.aigw.core.filterconfig.FilterConfig} and a {@link
 * io.aigw.projections.filterconfig.RouteResolution} (resolved backends, Secret mounts, problems,
 * provenance). Pure functions over a {@link io.aigw.projections.filterconfig.References} lookup.
 */
package io.aigw.projections.filterconfig;
