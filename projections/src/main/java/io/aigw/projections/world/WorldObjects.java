package io.aigw.projections.world;

import io.aigw.core.event.EventType;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.WatchEvent;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import org.pcollections.PSortedMap;
import org.pcollections.PSortedSet;
import org.pcollections.TreePMap;

/**
 * The world's objects by key: a persistent map in {@link KeyOrder}, built for a fold that updates
 * one key per entry. Keys are grouped by scope (group, kind, namespace), and both the scopes and
 * the names within a scope are hash tries, so an update copies a few short nodes (a {@code
 * TreePMap} of 40,000 keys copies sixteen and compares four strings at each) and a lookup reads as
 * few.
 *
 * <p>Order is computed where it is asked for: iteration sorts the scopes (a cluster has tens of
 * them) and, once per scope version, the keys of a scope (kept with it, so scopes an update did not
 * touch stay sorted); a range ({@code subMap} and the like) visits only the scopes it spans, so the
 * ReferenceGrants of one namespace or the objects of one kind cost what they hold. The remaining
 * navigation ({@code firstKey}, {@code floorEntry}, …) uses a sorted copy made on first use.
 */
public final class WorldObjects extends AbstractMap<ObjectKey, WorldObject>
    implements PSortedMap<ObjectKey, WorldObject> {

  private static final WorldObjects EMPTY = new WorldObjects(HashTrie.empty(), 0);

  private static final Comparator<Scope> SCOPE_ORDER =
      (a, b) -> {
        int order = compare(a.group(), b.group());
        if (order != 0) {
          return order;
        }
        order = compare(a.kind(), b.kind());
        return order != 0 ? order : compare(a.namespace(), b.namespace());
      };

  private final HashTrie<Scope, Bucket> scopes;
  private final int size;
  private volatile Scope[] sortedScopes;
  private volatile TreePMap<ObjectKey, WorldObject> sortedCopy;

  private WorldObjects(HashTrie<Scope, Bucket> scopes, int size) {
    this.scopes = scopes;
    this.size = size;
  }

  public static WorldObjects empty() {
    return EMPTY;
  }

  /** The group, kind and namespace keys share: the unit the world is grouped and sorted by. */
  private record Scope(String group, String kind, String namespace) {
    static Scope of(ObjectKey key) {
      return new Scope(key.group(), key.kind(), key.namespace());
    }
  }

  /**
   * The objects of one scope, the scope's strings every key in it shares, and their key order once
   * someone asked for it.
   */
  private static final class Bucket {
    final Scope scope;
    final HashTrie<String, WorldObject> byName;

    /** The event the fold last kept here (null when none): its strings are offered to the next. */
    final WatchEvent last;

    private volatile WorldObject[] sorted;

    Bucket(Scope scope, HashTrie<String, WorldObject> byName) {
      this(scope, byName, null);
    }

    Bucket(Scope scope, HashTrie<String, WorldObject> byName, WatchEvent last) {
      this.scope = scope;
      this.byName = byName;
      this.last = last;
    }

    WorldObject[] sorted() {
      WorldObject[] kept = sorted;
      if (kept == null) {
        // a race sorts twice and keeps one of two equal arrays: harmless
        kept = byName.values().toArray(new WorldObject[0]);
        Arrays.sort(kept, (a, b) -> KeyOrder.INSTANCE.compare(a.key(), b.key()));
        sorted = kept;
      }
      return kept;
    }
  }

  private static int compare(String a, String b) {
    return a == b ? 0 : a.compareTo(b);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  @Override
  public WorldObject get(Object key) {
    if (!(key instanceof ObjectKey objectKey)) {
      return null;
    }
    Bucket bucket = scopes.get(Scope.of(objectKey));
    return bucket == null ? null : bucket.byName.get(objectKey.name());
  }

  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  @Override
  public WorldObjects plus(ObjectKey key, WorldObject value) {
    Scope scope = Scope.of(key);
    Bucket bucket = scopes.get(scope);
    HashTrie<String, WorldObject> before = bucket == null ? HashTrie.empty() : bucket.byName;
    HashTrie<String, WorldObject> after = before.plus(key.name(), value);
    if (after == before) {
      return this;
    }
    int grown = after.size() - before.size();
    Scope kept = bucket == null ? scope : bucket.scope;
    return new WorldObjects(scopes.plus(kept, new Bucket(kept, after)), size + grown);
  }

  /**
   * The map after the object of {@code event} (entry {@code seq}) was put, or removed for a DELETE:
   * the fold's update in one pass over the scope. {@code key} may be a fresh instance (decoded with
   * the entry): the object is kept under a key whose group, kind and namespace are the scope's
   * strings (see {@link KeyOrder#shared}), so comparing keys rarely reads characters.
   */
  WorldObjects changed(ObjectKey key, WatchEvent event, long seq) {
    Bucket bucket = scopes.get(Scope.of(key));
    if (event.type() == EventType.DELETE) {
      return bucket == null ? this : minus(key);
    }
    Scope scope;
    HashTrie<String, WorldObject> before;
    ObjectKey kept;
    if (bucket == null) {
      kept = KeyOrder.shared(key);
      scope = Scope.of(kept);
      before = HashTrie.empty();
    } else {
      scope = bucket.scope;
      before = bucket.byName;
      kept = new ObjectKey(scope.group(), scope.kind(), scope.namespace(), key.name());
    }
    WatchEvent compact = compact(event, scope, bucket == null ? null : bucket.last);
    HashTrie<String, WorldObject> after =
        before.plus(kept.name(), new WorldObject(kept, compact, seq));
    int grown = after.size() - before.size();
    return new WorldObjects(scopes.plus(scope, new Bucket(scope, after, compact)), size + grown);
  }

  /**
   * An equal event whose kind and namespace are the scope's strings and whose source and apiVersion
   * are those of the scope's previous event when equal: every version of every object is kept by
   * the state or a snapshot, and these strings, decoded afresh for each entry, are a fifth of a
   * version's memory. The checks read only the scope, which the update reads anyway.
   */
  private static WatchEvent compact(WatchEvent event, Scope scope, WatchEvent last) {
    String source =
        last != null && last.source().equals(event.source()) ? last.source() : event.source();
    String apiVersion =
        last != null && last.apiVersion().equals(event.apiVersion())
            ? last.apiVersion()
            : event.apiVersion();
    if (source == event.source()
        && apiVersion == event.apiVersion()
        && scope.kind() == event.kind()
        && scope.namespace() == event.namespace()) {
      return event;
    }
    return new WatchEvent(
        source,
        apiVersion,
        scope.kind(),
        scope.namespace(),
        event.name(),
        event.uid(),
        event.resourceVersion(),
        event.generation(),
        event.type(),
        event.objectJson());
  }

  @Override
  public WorldObjects plusAll(Map<? extends ObjectKey, ? extends WorldObject> map) {
    WorldObjects out = this;
    for (Map.Entry<? extends ObjectKey, ? extends WorldObject> entry : map.entrySet()) {
      out = out.plus(entry.getKey(), entry.getValue());
    }
    return out;
  }

  @Override
  public WorldObjects minus(Object key) {
    if (!(key instanceof ObjectKey objectKey)) {
      return this;
    }
    Scope scope = Scope.of(objectKey);
    Bucket bucket = scopes.get(scope);
    if (bucket == null) {
      return this;
    }
    HashTrie<String, WorldObject> after = bucket.byName.minus(objectKey.name());
    if (after == bucket.byName) {
      return this;
    }
    HashTrie<Scope, Bucket> rest =
        after.isEmpty()
            ? scopes.minus(scope)
            : scopes.plus(bucket.scope, new Bucket(bucket.scope, after));
    return new WorldObjects(rest, size - 1);
  }

  @Override
  public WorldObjects minusAll(Collection<?> keys) {
    WorldObjects out = this;
    for (Object key : keys) {
      out = out.minus(key);
    }
    return out;
  }

  private Scope[] sortedScopes() {
    Scope[] kept = sortedScopes;
    if (kept == null) {
      kept = scopes.keySet().toArray(new Scope[0]);
      Arrays.sort(kept, SCOPE_ORDER);
      sortedScopes = kept;
    }
    return kept;
  }

  /** Every entry in key order. */
  @Override
  public Set<Map.Entry<ObjectKey, WorldObject>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<ObjectKey, WorldObject>> iterator() {
        return new InOrder(sortedScopes());
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  /** The scopes' objects one scope after the other, each scope's in key order. */
  private final class InOrder implements Iterator<Map.Entry<ObjectKey, WorldObject>> {
    private final Scope[] order;
    private int scope;
    private WorldObject[] objects = new WorldObject[0];
    private int next;

    InOrder(Scope[] order) {
      this.order = order;
    }

    @Override
    public boolean hasNext() {
      while (next >= objects.length) {
        if (scope >= order.length) {
          return false;
        }
        objects = scopes.get(order[scope++]).sorted();
        next = 0;
      }
      return true;
    }

    @Override
    public Map.Entry<ObjectKey, WorldObject> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      WorldObject object = objects[next++];
      return new SimpleImmutableEntry<>(object.key(), object);
    }
  }

  /**
   * The entries between two bounds ({@code null}: unbounded), visiting only the scopes the range
   * spans.
   */
  private TreePMap<ObjectKey, WorldObject> range(
      ObjectKey low, boolean lowInclusive, ObjectKey high, boolean highInclusive) {
    TreeMap<ObjectKey, WorldObject> out = new TreeMap<>(KeyOrder.INSTANCE);
    for (Scope scope : sortedScopes()) {
      if (low != null && SCOPE_ORDER.compare(scope, Scope.of(low)) < 0) {
        continue;
      }
      if (high != null && SCOPE_ORDER.compare(scope, Scope.of(high)) > 0) {
        break;
      }
      for (WorldObject object : scopes.get(scope).sorted()) {
        if (within(object.key(), low, lowInclusive, high, highInclusive)) {
          out.put(object.key(), object);
        }
      }
    }
    return TreePMap.fromSortedMap(out);
  }

  private static boolean within(
      ObjectKey key, ObjectKey low, boolean lowInclusive, ObjectKey high, boolean highInclusive) {
    if (low != null) {
      int order = KeyOrder.INSTANCE.compare(key, low);
      if (order < 0 || (order == 0 && !lowInclusive)) {
        return false;
      }
    }
    if (high != null) {
      int order = KeyOrder.INSTANCE.compare(key, high);
      return order < 0 || (order == 0 && highInclusive);
    }
    return true;
  }

  /** A sorted copy for the navigation few callers use, made once per map. */
  private TreePMap<ObjectKey, WorldObject> sortedCopy() {
    TreePMap<ObjectKey, WorldObject> kept = sortedCopy;
    if (kept == null) {
      kept = range(null, false, null, false);
      sortedCopy = kept;
    }
    return kept;
  }

  @Override
  public PSortedMap<ObjectKey, WorldObject> subMap(
      ObjectKey from, boolean fromInclusive, ObjectKey to, boolean toInclusive) {
    if (KeyOrder.INSTANCE.compare(from, to) > 0) {
      throw new IllegalArgumentException("fromKey > toKey");
    }
    return range(from, fromInclusive, to, toInclusive);
  }

  @Override
  public PSortedMap<ObjectKey, WorldObject> subMap(ObjectKey from, ObjectKey to) {
    return subMap(from, true, to, false);
  }

  @Override
  public PSortedMap<ObjectKey, WorldObject> headMap(ObjectKey to, boolean inclusive) {
    return range(null, false, to, inclusive);
  }

  @Override
  public PSortedMap<ObjectKey, WorldObject> headMap(ObjectKey to) {
    return headMap(to, false);
  }

  @Override
  public PSortedMap<ObjectKey, WorldObject> tailMap(ObjectKey from, boolean inclusive) {
    return range(from, inclusive, null, false);
  }

  @Override
  public PSortedMap<ObjectKey, WorldObject> tailMap(ObjectKey from) {
    return tailMap(from, true);
  }

  @Override
  public Comparator<? super ObjectKey> comparator() {
    return KeyOrder.INSTANCE;
  }

  @Override
  public PSortedSet<ObjectKey> keySet() {
    return sortedCopy().keySet();
  }

  @Override
  public PSortedSet<ObjectKey> navigableKeySet() {
    return sortedCopy().navigableKeySet();
  }

  @Override
  public PSortedSet<ObjectKey> descendingKeySet() {
    return sortedCopy().descendingKeySet();
  }

  @Override
  public PSortedMap<ObjectKey, WorldObject> descendingMap() {
    return sortedCopy().descendingMap();
  }

  @Override
  public PSortedMap<ObjectKey, WorldObject> minusFirstEntry() {
    return isEmpty() ? this : minus(firstKey());
  }

  @Override
  public PSortedMap<ObjectKey, WorldObject> minusLastEntry() {
    return isEmpty() ? this : minus(lastKey());
  }

  @Override
  public Map.Entry<ObjectKey, WorldObject> lowerEntry(ObjectKey key) {
    return sortedCopy().lowerEntry(key);
  }

  @Override
  public ObjectKey lowerKey(ObjectKey key) {
    return sortedCopy().lowerKey(key);
  }

  @Override
  public Map.Entry<ObjectKey, WorldObject> floorEntry(ObjectKey key) {
    return sortedCopy().floorEntry(key);
  }

  @Override
  public ObjectKey floorKey(ObjectKey key) {
    return sortedCopy().floorKey(key);
  }

  @Override
  public Map.Entry<ObjectKey, WorldObject> ceilingEntry(ObjectKey key) {
    return sortedCopy().ceilingEntry(key);
  }

  @Override
  public ObjectKey ceilingKey(ObjectKey key) {
    return sortedCopy().ceilingKey(key);
  }

  @Override
  public Map.Entry<ObjectKey, WorldObject> higherEntry(ObjectKey key) {
    return sortedCopy().higherEntry(key);
  }

  @Override
  public ObjectKey higherKey(ObjectKey key) {
    return sortedCopy().higherKey(key);
  }

  @Override
  public Map.Entry<ObjectKey, WorldObject> firstEntry() {
    return sortedCopy().firstEntry();
  }

  @Override
  public Map.Entry<ObjectKey, WorldObject> lastEntry() {
    return sortedCopy().lastEntry();
  }

  @Override
  public ObjectKey firstKey() {
    return sortedCopy().firstKey();
  }

  @Override
  public ObjectKey lastKey() {
    return sortedCopy().lastKey();
  }

  @Override
  @Deprecated
  public WorldObject put(ObjectKey key, WorldObject value) {
    throw new UnsupportedOperationException();
  }

  @Override
  @Deprecated
  public WorldObject remove(Object key) {
    throw new UnsupportedOperationException();
  }

  @Override
  @Deprecated
  public void putAll(Map<? extends ObjectKey, ? extends WorldObject> map) {
    throw new UnsupportedOperationException();
  }

  @Override
  @Deprecated
  public void clear() {
    throw new UnsupportedOperationException();
  }
}
