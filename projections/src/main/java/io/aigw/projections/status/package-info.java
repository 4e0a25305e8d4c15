/**
 * The wanted status of AIGatewayRoutes, AIServiceBackends and BackendSecurityPolicies: upstream's
 * single {@code Accepted}/{@code NotAccepted} condition, without a timestamp (the status writer
 * adds {@code lastTransitionTime}).
 */
package io.aigw.projections.status;
