/**
 * The controller's fold, {@link io.aigw.projections.gateway.GatewayProjection}: from the log to the
 * objects to apply, the ExtProc filter configs and the status of every AI Gateway object, in one
 * persistent {@link io.aigw.projections.gateway.GatewayState}.
 *
 * <p>How an entry is folded:
 *
 * <ol>
 *   <li>The world takes the change ({@link io.aigw.projections.world.WorldProjection}).
 *   <li>An AIGatewayRoute, AIServiceBackend or BackendSecurityPolicy is validated ({@code
 *       AiResourceValidator}) and read ({@code AiResourceReader}, v1alpha1 normalised to v1beta1).
 *       A valid version takes effect in the {@link io.aigw.projections.gateway.Catalog}; an invalid
 *       one only records its violations, the previous valid version stays in effect, as a cluster
 *       that rejected the update would keep it.
 *   <li>The catalog's reverse indexes name what depends on the changed object: backend → routes,
 *       backend → policies, Secret → policies, namespace → routes with a cross-namespace backend
 *       there (for ReferenceGrants). Only those are recomputed, each from the updated catalog, so
 *       the order does not matter and the cost does not grow with the world.
 *   <li>Each stale route is resolved ({@link
 *       io.aigw.projections.filterconfig.FilterConfigProjection}) and its objects built ({@link
 *       io.aigw.projections.desired.DesiredResourcesProjection}); each stale object gets its status
 *       ({@link io.aigw.projections.status.StatusProjection}). An output equal to the one before
 *       keeps its instance, so readers can detect change by identity.
 * </ol>
 *
 * <p>Objects of other kinds (Gateway, Backend, Deployment, …) only change the world; Secrets (key
 * names and digests, never values) and ReferenceGrants are read through the world.
 */
package io.aigw.projections.gateway;
