/**
 * The controller's fold, {@link io.aigw.projections.gateway.GatewayProjection}: from the log to the
 * objects to apply, the ExtProc filter configs and the status of every AI Gateway object, in one
 * persistent {@link io.aigw.projections.gateway.GatewayState}.
 *
 * <p>How an entry is folded:
 *
 * <ol>
 *   <li>The world takes the change ({@link io.aigw.projections.world.WorldProjection}).
 *   <li>An AIGatewayRoute, AIServiceBackend, BackendSecurityPolicy, GatewayConfig or QuotaPolicy is
 *       validated ({@code AiResourceValidator}) and read ({@code AiResourceReader}, v1alpha1
 *       normalised to v1beta1, but for QuotaPolicy, served as v1alpha1 only). A valid version takes
 *       effect in the {@link io.aigw.projections.gateway.Catalog}; an invalid one only records its
 *       violations, the previous valid version stays in effect, as a cluster that rejected the
 *       update would keep it.
 *   <li>The catalog's reverse indexes name what depends on the changed object: backend → routes,
 *       backend → policies, Secret → policies, namespace → routes with a cross-namespace backend
 *       there (for ReferenceGrants), Gateway → routes attached to it, GatewayConfig → the Gateways
 *       naming it ({@code GatewayBindings}), Envoy Gateway Backend → the AIServiceBackends naming
 *       it ({@code EnvoyBackendHosts}). Those objects become stale ({@code Stale}); the new state
 *       keeps them with the outputs it starts from.
 *   <li>When outputs are first read, each stale route is resolved ({@link
 *       io.aigw.projections.filterconfig.FilterConfigProjection}) and its objects built ({@link
 *       io.aigw.projections.desired.DesiredResourcesProjection}); each stale object gets its status
 *       ({@link io.aigw.projections.status.StatusProjection}), all from that state's catalog, so
 *       the order does not matter and the cost does not grow with the world. An output equal to the
 *       one before keeps its instance, so readers can detect change by identity.
 * </ol>
 *
 * <p>Objects of other kinds (Deployment, …) only change the world; of a Secret (key names and
 * digests, never values) the catalog keeps the key names, of a Gateway the GatewayConfig its
 * annotation names, of an Envoy Gateway Backend its host ({@code EnvoyBackendHosts}),
 * ReferenceGrants are read through the world.
 *
 * <p>What keeps the fold fast, none of which changes a result:
 *
 * <ul>
 *   <li>Outputs are derived on first read ({@link io.aigw.projections.gateway.GatewayState}): a
 *       state keeps the outputs of a base state and the objects made stale since, so a replay, or a
 *       {@code stateAt} that reads only the state it folds to, recomputes each stale object once
 *       instead of once per entry. A live host whose subscriber reads every state derives each from
 *       the one before, as an eager fold would.
 *   <li>An object is parsed once and normalised in place; validator and reader share that tree. The
 *       world keeps events, not trees ({@link io.aigw.projections.world.WorldObject} parses on
 *       demand), and the catalog keeps what the fold reads of a Secret (its key names).
 *   <li>An UPSERT with the same object as the current version (a relist, a resync) is not parsed or
 *       validated again, and a change that keeps a route's backends or a policy's targets leaves
 *       the indexes alone.
 *   <li>{@link io.aigw.projections.gateway.GatewayProjection#prepare} lets a host parse, validate
 *       and read entries on its reader thread, ahead of the fold.
 *   <li>Desired objects are rebuilt lazily (the tree is rendered on first read) and an object built
 *       from the same inputs as the one it replaces keeps the old instance, so the sorted output
 *       map is not touched for it.
 *   <li>The catalog's maps are compressed hash tries ({@code HashTrie}); keys share their group,
 *       kind and namespace strings ({@link io.aigw.projections.world.KeyOrder#shared}), so
 *       comparing keys in the sorted maps reads little memory that is not already in cache.
 * </ul>
 */
package io.aigw.projections.gateway;
