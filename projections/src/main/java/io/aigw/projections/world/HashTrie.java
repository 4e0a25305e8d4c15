package io.aigw.projections.world;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.pcollections.PMap;

/**
 * A persistent hash map as a compressed hash trie (CHAMP: 32-way nodes, entries and sub-nodes
 * packed by bitmaps), for the world's index and the gateway fold's catalog: an update copies about
 * three short nodes where a binary tree ({@code HashTreePMap}) copies fifteen, and a lookup reads
 * as few — each node a lookup reads in a large map is likely a cache miss. Equal to any map with
 * the same entries; iteration follows the hashes, so whatever must be ordered sorts (as {@link
 * WorldObjects} does).
 */
public final class HashTrie<K, V> extends AbstractMap<K, V> implements PMap<K, V> {

  private static final HashTrie<?, ?> EMPTY = new HashTrie<>(Node.EMPTY, 0);

  private final Node root;
  private final int size;

  private HashTrie(Node root, int size) {
    this.root = root;
    this.size = size;
  }

  @SuppressWarnings("unchecked")
  public static <K, V> HashTrie<K, V> empty() {
    return (HashTrie<K, V>) EMPTY;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(Object key) {
    return (V) root.get(key, hash(key), 0);
  }

  @Override
  public boolean containsKey(Object key) {
    return root.containsKey(key, hash(key), 0);
  }

  @Override
  public HashTrie<K, V> plus(K key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Change change = new Change();
    Node updated = root.plus(key, value, hash(key), 0, change);
    if (updated == root) {
      return this;
    }
    return new HashTrie<>(updated, change.added ? size + 1 : size);
  }

  @Override
  public HashTrie<K, V> plusAll(Map<? extends K, ? extends V> map) {
    HashTrie<K, V> out = this;
    for (Map.Entry<? extends K, ? extends V> entry : map.entrySet()) {
      out = out.plus(entry.getKey(), entry.getValue());
    }
    return out;
  }

  @Override
  public HashTrie<K, V> minus(Object key) {
    if (key == null) {
      return this;
    }
    Node updated = root.minus(key, hash(key), 0);
    return updated == root ? this : new HashTrie<>(updated, size - 1);
  }

  @Override
  public HashTrie<K, V> minusAll(Collection<?> keys) {
    HashTrie<K, V> out = this;
    for (Object key : keys) {
      out = out.minus(key);
    }
    return out;
  }

  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<K, V>> iterator() {
        return new Entries<>(root);
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  @Override
  @Deprecated
  public V put(K key, V value) {
    throw new UnsupportedOperationException();
  }

  @Override
  @Deprecated
  public V remove(Object key) {
    throw new UnsupportedOperationException();
  }

  @Override
  @Deprecated
  public void putAll(Map<? extends K, ? extends V> map) {
    throw new UnsupportedOperationException();
  }

  @Override
  @Deprecated
  public void clear() {
    throw new UnsupportedOperationException();
  }

  private static int hash(Object key) {
    int h = key.hashCode();
    // spread the high bits down: the trie consumes the hash five bits at a time from the bottom
    return h ^ (h >>> 16);
  }

  /**
   * Hands {@code differing} every key that one map has and the other has not, or has with another
   * value instance, each once, in no particular order, until it returns false. Sub-tries the two
   * maps share are skipped unread, so for two versions of one map the cost follows what changed
   * between them, not their size: a diff of two far-apart states of a fold finds the few routes
   * that changed this way. False when {@code differing} stopped it.
   */
  public static <K, V> boolean forEachDifference(
      HashTrie<K, V> a, HashTrie<K, V> b, Predicate<? super K> differing) {
    return Node.differences(a.root, b.root, differing);
  }

  /** Whether {@code plus} added a key (rather than replacing a value). */
  private static final class Change {
    boolean added;
  }

  /**
   * A trie node: {@code dataMap} marks the 5-bit slots holding an entry, {@code nodeMap} those
   * holding a sub-node; {@code content} is the entries' keys and values in slot order, then the
   * sub-nodes in reverse slot order. Below the last level (the hash used up) a node holds colliding
   * entries in {@code content} with both bitmaps zero.
   */
  private static final class Node {
    static final Node EMPTY = new Node(0, 0, new Object[0]);
    static final int BITS = 5;
    static final int MAX_SHIFT = 30;

    final int dataMap;
    final int nodeMap;
    final Object[] content;

    Node(int dataMap, int nodeMap, Object[] content) {
      this.dataMap = dataMap;
      this.nodeMap = nodeMap;
      this.content = content;
    }

    /**
     * The keys that differ under two nodes at the same depth: slot by slot, descending only where
     * both hold a sub-node, and comparing entries where the two differ in shape. False once {@code
     * differing} asked to stop.
     */
    static <K> boolean differences(Node a, Node b, Predicate<? super K> differing) {
      if (a == b) {
        return true;
      }
      if (a.isCollision() || b.isCollision()) {
        return compare(a.collect(new HashMap<>()), b.collect(new HashMap<>()), differing);
      }
      int slots = a.dataMap | a.nodeMap | b.dataMap | b.nodeMap;
      while (slots != 0) {
        int bit = Integer.lowestOneBit(slots);
        slots &= slots - 1;
        boolean more;
        if ((a.nodeMap & bit) != 0 && (b.nodeMap & bit) != 0) {
          more =
              differences(
                  (Node) a.content[a.nodeIndex(bit)],
                  (Node) b.content[b.nodeIndex(bit)],
                  differing);
        } else if ((a.dataMap & bit) != 0 && (b.dataMap & bit) != 0) {
          more = compareEntries(a, b, bit, differing);
        } else {
          more = compare(a.slot(bit, new HashMap<>()), b.slot(bit, new HashMap<>()), differing);
        }
        if (!more) {
          return false;
        }
      }
      return true;
    }

    /** Two entries in the same slot: the common case of a changed value, without maps. */
    @SuppressWarnings("unchecked")
    private static <K> boolean compareEntries(
        Node a, Node b, int bit, Predicate<? super K> differing) {
      int i = 2 * a.dataIndex(bit);
      int j = 2 * b.dataIndex(bit);
      Object key = a.content[i];
      if (key.equals(b.content[j])) {
        return a.content[i + 1] == b.content[j + 1] || differing.test((K) key);
      }
      return differing.test((K) key) && differing.test((K) b.content[j]);
    }

    @SuppressWarnings("unchecked")
    private static <K> boolean compare(
        Map<Object, Object> a, Map<Object, Object> b, Predicate<? super K> differing) {
      for (Map.Entry<Object, Object> entry : a.entrySet()) {
        if (b.get(entry.getKey()) != entry.getValue() && !differing.test((K) entry.getKey())) {
          return false;
        }
      }
      for (Object key : b.keySet()) {
        if (!a.containsKey(key) && !differing.test((K) key)) {
          return false;
        }
      }
      return true;
    }

    /** The entries under slot {@code bit}: its entry, or every entry of its sub-node. */
    private Map<Object, Object> slot(int bit, Map<Object, Object> into) {
      if ((dataMap & bit) != 0) {
        int i = 2 * dataIndex(bit);
        into.put(content[i], content[i + 1]);
      } else if ((nodeMap & bit) != 0) {
        ((Node) content[nodeIndex(bit)]).collect(into);
      }
      return into;
    }

    private Map<Object, Object> collect(Map<Object, Object> into) {
      int end = 2 * entries();
      for (int i = 0; i < end; i += 2) {
        into.put(content[i], content[i + 1]);
      }
      for (int i = end; i < content.length; i++) {
        ((Node) content[i]).collect(into);
      }
      return into;
    }

    boolean isCollision() {
      return dataMap == 0 && nodeMap == 0 && content.length > 0;
    }

    static int bit(int hash, int shift) {
      return 1 << ((hash >>> shift) & 31);
    }

    int dataIndex(int bit) {
      return Integer.bitCount(dataMap & (bit - 1));
    }

    int nodeIndex(int bit) {
      return content.length - 1 - Integer.bitCount(nodeMap & (bit - 1));
    }

    int entries() {
      return isCollision() ? content.length / 2 : Integer.bitCount(dataMap);
    }

    int nodes() {
      return Integer.bitCount(nodeMap);
    }

    Object get(Object key, int hash, int shift) {
      Node node = this;
      int level = shift;
      while (true) {
        if (node.isCollision()) {
          return node.collisionGet(key);
        }
        int bit = bit(hash, level);
        if ((node.dataMap & bit) != 0) {
          int i = 2 * node.dataIndex(bit);
          return key.equals(node.content[i]) ? node.content[i + 1] : null;
        }
        if ((node.nodeMap & bit) == 0) {
          return null;
        }
        node = (Node) node.content[node.nodeIndex(bit)];
        level += BITS;
      }
    }

    boolean containsKey(Object key, int hash, int shift) {
      Node node = this;
      int level = shift;
      while (true) {
        if (node.isCollision()) {
          return node.collisionIndex(key) >= 0;
        }
        int bit = bit(hash, level);
        if ((node.dataMap & bit) != 0) {
          return key.equals(node.content[2 * node.dataIndex(bit)]);
        }
        if ((node.nodeMap & bit) == 0) {
          return false;
        }
        node = (Node) node.content[node.nodeIndex(bit)];
        level += BITS;
      }
    }

    private Object collisionGet(Object key) {
      int i = collisionIndex(key);
      return i < 0 ? null : content[i + 1];
    }

    private int collisionIndex(Object key) {
      for (int i = 0; i < content.length; i += 2) {
        if (key.equals(content[i])) {
          return i;
        }
      }
      return -1;
    }

    Node plus(Object key, Object value, int hash, int shift, Change change) {
      if (isCollision() || (shift > MAX_SHIFT && this == EMPTY)) {
        return collisionPlus(key, value, change);
      }
      int bit = bit(hash, shift);
      if ((dataMap & bit) != 0) {
        int i = 2 * dataIndex(bit);
        Object existing = content[i];
        if (key.equals(existing)) {
          if (content[i + 1] == value) {
            return this;
          }
          Object[] copy = content.clone();
          copy[i + 1] = value;
          return new Node(dataMap, nodeMap, copy);
        }
        change.added = true;
        Node sub = pair(existing, content[i + 1], hash(existing), key, value, hash, shift + BITS);
        return withEntryAsNode(bit, i, sub);
      }
      if ((nodeMap & bit) != 0) {
        int i = nodeIndex(bit);
        Node sub = (Node) content[i];
        Node updated = sub.plus(key, value, hash, shift + BITS, change);
        if (updated == sub) {
          return this;
        }
        Object[] copy = content.clone();
        copy[i] = updated;
        return new Node(dataMap, nodeMap, copy);
      }
      change.added = true;
      int i = 2 * dataIndex(bit);
      Object[] copy = new Object[content.length + 2];
      System.arraycopy(content, 0, copy, 0, i);
      copy[i] = key;
      copy[i + 1] = value;
      System.arraycopy(content, i, copy, i + 2, content.length - i);
      return new Node(dataMap | bit, nodeMap, copy);
    }

    private Node collisionPlus(Object key, Object value, Change change) {
      int i = collisionIndex(key);
      if (i >= 0) {
        if (content[i + 1] == value) {
          return this;
        }
        Object[] copy = content.clone();
        copy[i + 1] = value;
        return new Node(0, 0, copy);
      }
      change.added = true;
      Object[] copy = Arrays.copyOf(content, content.length + 2);
      copy[content.length] = key;
      copy[content.length + 1] = value;
      return new Node(0, 0, copy);
    }

    /** A node holding two entries whose hashes agree below {@code shift}. */
    private static Node pair(
        Object key1, Object value1, int hash1, Object key2, Object value2, int hash2, int shift) {
      if (shift > MAX_SHIFT) {
        return new Node(0, 0, new Object[] {key1, value1, key2, value2});
      }
      int bit1 = bit(hash1, shift);
      int bit2 = bit(hash2, shift);
      if (bit1 == bit2) {
        Node sub = pair(key1, value1, hash1, key2, value2, hash2, shift + BITS);
        return new Node(0, bit1, new Object[] {sub});
      }
      Object[] content =
          Integer.compareUnsigned(bit1, bit2) < 0
              ? new Object[] {key1, value1, key2, value2}
              : new Object[] {key2, value2, key1, value1};
      return new Node(bit1 | bit2, 0, content);
    }

    /**
     * This node with the entry at {@code i} (slot {@code bit}) replaced by sub-node {@code sub}.
     */
    private Node withEntryAsNode(int bit, int i, Node sub) {
      Object[] copy = new Object[content.length - 1];
      int target = content.length - 2 - Integer.bitCount(nodeMap & (bit - 1));
      System.arraycopy(content, 0, copy, 0, i);
      System.arraycopy(content, i + 2, copy, i, target - i);
      copy[target] = sub;
      System.arraycopy(content, target + 2, copy, target + 1, content.length - target - 2);
      return new Node(dataMap ^ bit, nodeMap | bit, copy);
    }

    Node minus(Object key, int hash, int shift) {
      if (isCollision()) {
        return collisionMinus(key);
      }
      int bit = bit(hash, shift);
      if ((dataMap & bit) != 0) {
        int i = 2 * dataIndex(bit);
        if (!key.equals(content[i])) {
          return this;
        }
        if (shift > 0 && entries() == 2 && nodes() == 0) {
          // the last other entry moves up to the parent: keep the trie canonical
          Object[] rest =
              i == 0
                  ? new Object[] {content[2], content[3]}
                  : new Object[] {content[0], content[1]};
          return new Node(dataMap ^ bit, 0, rest);
        }
        Object[] copy = new Object[content.length - 2];
        System.arraycopy(content, 0, copy, 0, i);
        System.arraycopy(content, i + 2, copy, i, content.length - i - 2);
        return new Node(dataMap ^ bit, nodeMap, copy);
      }
      if ((nodeMap & bit) != 0) {
        int i = nodeIndex(bit);
        Node sub = (Node) content[i];
        Node updated = sub.minus(key, hash, shift + BITS);
        if (updated == sub) {
          return this;
        }
        if (updated.nodes() == 0 && updated.entries() == 1) {
          if (entries() == 0 && nodes() == 1 && shift > 0) {
            // this node would hold only that entry: pass it up as it is
            return updated;
          }
          return withNodeAsEntry(bit, i, updated.content[0], updated.content[1]);
        }
        Object[] copy = content.clone();
        copy[i] = updated;
        return new Node(dataMap, nodeMap, copy);
      }
      return this;
    }

    private Node collisionMinus(Object key) {
      int i = collisionIndex(key);
      if (i < 0) {
        return this;
      }
      Object[] copy = new Object[content.length - 2];
      System.arraycopy(content, 0, copy, 0, i);
      System.arraycopy(content, i + 2, copy, i, content.length - i - 2);
      return new Node(0, 0, copy);
    }

    /** This node with the sub-node at {@code i} (slot {@code bit}) replaced by one entry. */
    private Node withNodeAsEntry(int bit, int i, Object key, Object value) {
      int target = 2 * dataIndex(bit);
      Object[] copy = new Object[content.length + 1];
      System.arraycopy(content, 0, copy, 0, target);
      copy[target] = key;
      copy[target + 1] = value;
      System.arraycopy(content, target, copy, target + 2, i - target);
      System.arraycopy(content, i + 1, copy, i + 2, content.length - i - 1);
      return new Node(dataMap | bit, nodeMap ^ bit, copy);
    }
  }

  /** Depth-first over the trie: a node's entries, then its sub-nodes. */
  private static final class Entries<K, V> implements Iterator<Map.Entry<K, V>> {
    private final Deque<Node> pending = new ArrayDeque<>();
    private Node node;
    private int next;
    private int end;

    Entries(Node root) {
      visit(root);
    }

    private void visit(Node start) {
      node = start;
      next = 0;
      end = 2 * start.entries();
      for (int i = start.content.length - 1; i >= end; i--) {
        pending.push((Node) start.content[i]);
      }
    }

    @Override
    public boolean hasNext() {
      while (next >= end) {
        if (pending.isEmpty()) {
          return false;
        }
        visit(pending.pop());
      }
      return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map.Entry<K, V> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      K key = (K) node.content[next];
      V value = (V) node.content[next + 1];
      next += 2;
      return new SimpleImmutableEntry<>(key, value);
    }
  }
}
