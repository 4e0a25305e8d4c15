package io.aigw.projections.gateway;

import io.aigw.core.codec.YamlDocuments;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.filterconfig.FilterConfig;
import io.aigw.projections.desired.DesiredResource;
import io.aigw.projections.status.ResourceStatus;
import io.aigw.projections.world.HashTrie;
import io.aigw.projections.world.WorldState;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.pcollections.PSortedMap;

/**
 * What the controller wants after a log prefix: the world it saw, the objects to apply with their
 * provenance, each route's filter config, and the status of every AI Gateway object. Immutable and
 * persistent: the state after the next entry shares everything that entry did not touch.
 *
 * <p>The fold keeps world and catalog up to date on every entry; the outputs ({@link #desired()},
 * {@link #filterConfigs()}, {@link #statuses()}) are derived on first read and then kept. A state
 * knows which objects became stale since a state whose outputs were known (its base), so its
 * outputs are the base's with those objects recomputed from this state's catalog: a replay or a
 * {@code stateAt} that reads only its last state recomputes each stale object once, not once per
 * entry. Deriving is a pure function of world and catalog, so when it happens never changes a
 * result. When the state this one was folded from is still reachable (a reader holds it, as a host
 * change does), its outputs are derived first and this state's from them, so outputs that did not
 * change keep their instances between the two, as an eager fold would: readers detect change by
 * identity.
 */
public final class GatewayState {

  /** How many unread predecessors a read derives first to keep identities, at most. */
  private static final int CHAIN_LIMIT = 64;

  /**
   * How many derivations back {@link #changedFrom} looks for outputs two states share: a state read
   * after a run of unread ones derives them one by one (up to {@link #CHAIN_LIMIT}), and a host's
   * snapshots derive from one another, so this reaches across a few snapshots.
   */
  private static final int LINEAGE_DEPTH = CHAIN_LIMIT + 8;

  /** Beyond this many routes changed, a diff compares everything: it costs about the same. */
  private static final int MAX_CHANGED_ROUTES = 4096;

  public static final GatewayState EMPTY =
      new GatewayState(WorldState.EMPTY, Catalog.EMPTY, Outputs.EMPTY, Stale.NONE, null, null);

  private final WorldState world;
  private final Catalog catalog;
  private final Outputs base;
  private final Stale stale;
  private final Stale own;
  private final WeakReference<GatewayState> previous;
  private final Recomputation recomputation;
  private volatile Outputs outputs;

  private GatewayState(
      WorldState world,
      Catalog catalog,
      Outputs base,
      Stale stale,
      Stale own,
      GatewayState previous,
      Recomputation recomputation) {
    this.world = world;
    this.catalog = catalog;
    this.base = base;
    this.stale = stale;
    this.own = own;
    this.previous = previous == null ? null : new WeakReference<>(previous);
    this.recomputation = recomputation;
    this.outputs = stale.isEmpty() ? base : null;
  }

  private GatewayState(
      WorldState world,
      Catalog catalog,
      Outputs base,
      Stale stale,
      GatewayState previous,
      Recomputation recomputation) {
    this(world, catalog, base, stale, Stale.NONE, previous, recomputation);
  }

  /**
   * The state after an entry that changed world and catalog and made {@code dirty} stale, {@code
   * recomputation} deriving the outputs.
   */
  GatewayState next(
      WorldState world,
      Catalog catalog,
      GatewayProjection.Dependents dirty,
      Recomputation recomputation) {
    Stale own = Stale.NONE.plus(dirty);
    Outputs known = outputs;
    if (known != null) {
      return new GatewayState(world, catalog, known, own, own, this, recomputation);
    }
    return new GatewayState(world, catalog, base, stale.plus(dirty), own, this, recomputation);
  }

  /** The state after an entry that changed the world, perhaps the catalog, but no output. */
  GatewayState next(WorldState world, Catalog catalog) {
    Outputs known = outputs;
    if (known != null) {
      return new GatewayState(world, catalog, known, Stale.NONE, null, null);
    }
    return new GatewayState(world, catalog, base, stale, Stale.NONE, this, recomputation);
  }

  /** The seq of the last entry folded (0 before the first). */
  public long seq() {
    return world.seq();
  }

  /** Every object as of {@link #seq()}. */
  public WorldState world() {
    return world;
  }

  /** The AI Gateway objects in effect and the dependency indexes (internal to the fold). */
  public Catalog catalog() {
    return catalog;
  }

  /** The objects to apply, by key, in key order. */
  public PSortedMap<ObjectKey, DesiredResource> desired() {
    return outputs().desired();
  }

  /** The filter config of each AIGatewayRoute in effect, by the route's key. */
  public PSortedMap<ObjectKey, FilterConfig> filterConfigs() {
    return outputs().filterConfigs();
  }

  /**
   * The wanted status of each AIGatewayRoute, AIServiceBackend, BackendSecurityPolicy,
   * GatewayConfig and QuotaPolicy that exists, by its key.
   */
  public PSortedMap<ObjectKey, ResourceStatus> statuses() {
    return outputs().statuses();
  }

  /** For each route, the objects it produced (internal to the fold). */
  public HashTrie<ObjectKey, List<DesiredResource>> desiredByRoute() {
    return outputs().desiredByRoute();
  }

  /** The desired objects as multi-document YAML in key order, what {@code translate} prints. */
  public String desiredYaml() {
    PSortedMap<ObjectKey, DesiredResource> desired = desired();
    List<com.fasterxml.jackson.databind.JsonNode> objects = new ArrayList<>(desired.size());
    for (DesiredResource resource : desired.values()) {
      objects.add(resource.object());
    }
    return YamlDocuments.write(objects);
  }

  /**
   * Equal outputs: the same desired objects (with provenance), filter configs and statuses. Unlike
   * {@link #equals(Object)} this ignores the world's seq and the internal indexes.
   */
  public boolean sameOutputs(GatewayState other) {
    return desired().equals(other.desired())
        && filterConfigs().equals(other.filterConfigs())
        && statuses().equals(other.statuses());
  }

  /**
   * The routes whose desired resources are not the very same instances in this state and {@code
   * other}, in no particular order: outside them both states have the same resources. States a host
   * computed share the resources of every route that did not change between them, however far apart
   * they are, and this finds the others without reading what the two share (see {@link
   * HashTrie#forEachDifference}); for states folded apart every route differs.
   */
  public Set<ObjectKey> routesWithOtherResources(GatewayState other) {
    Set<ObjectKey> routes = new HashSet<>();
    HashTrie.forEachDifference(
        desiredByRoute(),
        other.desiredByRoute(),
        route -> {
          routes.add(route);
          return true;
        });
    return routes;
  }

  /**
   * The objects whose outputs may differ between this state and {@code other}, when that is known
   * without comparing every output: when both derive, within a few steps, from the same outputs
   * (one folded from the other, both from one snapshot, or from neighbouring snapshots of one
   * host). Deriving recomputes only what became stale and keeps the instances of its base for the
   * rest, so outside the keys returned both states have the very same output instances. Empty when
   * no such common ancestor is known; a caller then compares everything.
   */
  public Optional<ChangedObjects> changedFrom(GatewayState other) {
    if (this == other) {
      return Optional.of(ChangedObjects.of(Stale.NONE));
    }
    List<Outputs> mine = ancestors();
    Map<Outputs, Integer> index = new IdentityHashMap<>();
    for (int i = mine.size() - 1; i >= 0; i--) {
      index.put(mine.get(i), i);
    }
    List<Outputs> theirs = other.ancestors();
    for (int j = 0; j < theirs.size(); j++) {
      Integer i = index.get(theirs.get(j));
      if (i != null) {
        Optional<Stale> here = recomputedSince(mine, i);
        Optional<Stale> there = other.recomputedSince(theirs, j);
        return here.isPresent() && there.isPresent()
            ? Optional.of(ChangedObjects.of(here.get().union(there.get())))
            : Optional.empty();
      }
    }
    return Optional.empty();
  }

  /**
   * The outputs this state's derive from, nearest first: its own when known, its base, then where
   * each came from, at most {@link #LINEAGE_DEPTH} back. Only references: what was recomputed on
   * the way is worked out for the one ancestor two states turn out to share.
   */
  private List<Outputs> ancestors() {
    List<Outputs> out = new ArrayList<>();
    Outputs known = outputs;
    if (known != null) {
      out.add(known);
    }
    Outputs at = base;
    while (at != null && out.size() <= LINEAGE_DEPTH) {
      out.add(at);
      at = at.lineage() == null ? null : at.lineage().from().get();
    }
    return out;
  }

  /**
   * What was recomputed between {@code ancestors.get(index)} and this state's outputs; empty when
   * that is so much that comparing everything is as cheap.
   */
  private Optional<Stale> recomputedSince(List<Outputs> ancestors, int index) {
    int baseAt = outputs != null && ancestors.get(0) == outputs ? 1 : 0;
    if (index < baseAt) {
      return Optional.of(Stale.NONE);
    }
    Stale since = stale;
    for (int i = baseAt; i < index; i++) {
      since = since.union(ancestors.get(i).lineage().recomputed());
      if (since.routes().size() > MAX_CHANGED_ROUTES) {
        return Optional.empty();
      }
    }
    return Optional.of(since);
  }

  Outputs outputs() {
    Outputs known = outputs;
    if (known != null) {
      return known;
    }
    synchronized (this) {
      if (outputs == null) {
        outputs = derive();
      }
      return outputs;
    }
  }

  /** Keeps {@code derived} unless outputs are known already; the outputs kept. */
  private synchronized Outputs remember(Outputs derived) {
    if (outputs == null) {
      outputs = derived;
    }
    return outputs;
  }

  /**
   * From the nearest reachable predecessor with known outputs, entry by entry, when there is one
   * within {@link #CHAIN_LIMIT}; else from the base, every stale object once.
   */
  private Outputs derive() {
    List<GatewayState> unread = new ArrayList<>();
    GatewayState state = this;
    Outputs from = null;
    while (unread.size() < CHAIN_LIMIT) {
      unread.add(state);
      GatewayState before = state.previous == null ? null : state.previous.get();
      if (before == null) {
        break;
      }
      Outputs known = before.outputs;
      if (known != null) {
        from = known;
        break;
      }
      state = before;
    }
    if (from == null) {
      return recomputation.apply(base, world, catalog, stale, lineage(base, stale));
    }
    // every step's outputs record the chain's start as their origin, not the step before: the
    // start is held by someone, the steps in between may not be for long
    Outputs start = from;
    Stale since = Stale.NONE;
    for (int i = unread.size() - 1; i > 0; i--) {
      GatewayState step = unread.get(i);
      since = since.union(step.own);
      from = step.remember(step.derivedFrom(from, lineage(start, since)));
    }
    return derivedFrom(from, lineage(start, since.union(own)));
  }

  private Outputs derivedFrom(Outputs before, Outputs.Lineage lineage) {
    return own.isEmpty() ? before : recomputation.apply(before, world, catalog, own, lineage);
  }

  private static Outputs.Lineage lineage(Outputs from, Stale recomputed) {
    return new Outputs.Lineage(new WeakReference<>(from), recomputed);
  }

  /** Equal world, catalog and outputs (the outputs are derived to compare them). */
  @Override
  public boolean equals(Object other) {
    return this == other
        || other instanceof GatewayState that
            && world.equals(that.world)
            && catalog.equals(that.catalog)
            && outputs().equals(that.outputs());
  }

  @Override
  public int hashCode() {
    return Objects.hash(world, catalog);
  }

  @Override
  public String toString() {
    return "GatewayState[seq=" + seq() + "]";
  }
}
