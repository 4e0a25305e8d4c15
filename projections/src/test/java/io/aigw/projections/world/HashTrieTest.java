package io.aigw.projections.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class HashTrieTest {

  /** A key whose hash is chosen, so that tests can make hashes collide in any bits. */
  record Key(int hash, int id) {
    @Override
    public int hashCode() {
      return hash;
    }
  }

  @Property(tries = 300)
  void behavesLikeAHashMapUnderAnySequenceOfPutsAndRemoves(
      @ForAll @Size(max = 400) List<@IntRange(min = 0, max = 2000) Integer> operations,
      @ForAll @IntRange(min = 0, max = 3) int hashBits) {
    int mask = mask(hashBits);
    Map<Key, Integer> expected = new HashMap<>();
    HashTrie<Key, Integer> actual = HashTrie.empty();
    List<HashTrie<Key, Integer>> history = new ArrayList<>();
    List<Map<Key, Integer>> expectedHistory = new ArrayList<>();
    for (int op : operations) {
      Key key = new Key((op * 0x9E3779B1) & mask, op % 200);
      if (op % 3 == 0) {
        expected.remove(key);
        actual = actual.minus(key);
      } else {
        expected.put(key, op);
        actual = actual.plus(key, op);
      }
      history.add(actual);
      expectedHistory.add(Map.copyOf(expected));
    }
    assertThat(actual).isEqualTo(expected).hasSize(expected.size());
    assertThat(actual.hashCode()).isEqualTo(expected.hashCode());
    for (Key key : expected.keySet()) {
      assertThat(actual.get(key)).isEqualTo(expected.get(key));
      assertThat(actual.containsKey(key)).isTrue();
    }
    // persistence: every earlier version still holds what it held
    for (int i = 0; i < history.size(); i++) {
      assertThat(history.get(i)).isEqualTo(expectedHistory.get(i));
    }
  }

  @Property(tries = 300)
  void findsExactlyTheKeysWhoseValuesDifferBetweenTwoVersions(
      @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 2000) Integer> base,
      @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 2000) Integer> edits,
      @ForAll @IntRange(min = 0, max = 3) int hashBits) {
    int mask = mask(hashBits);
    HashTrie<Key, Object> before = HashTrie.empty();
    for (int op : base) {
      before = before.plus(new Key((op * 0x9E3779B1) & mask, op % 300), new Object());
    }
    // the later version shares what the edits left alone, as a fold's next state does
    HashTrie<Key, Object> after = before;
    for (int op : edits) {
      Key key = new Key((op * 0x9E3779B1) & mask, op % 300);
      after = op % 3 == 0 ? after.minus(key) : after.plus(key, new Object());
    }
    Set<Key> expected = new HashSet<>();
    for (Key key : union(before, after)) {
      if (before.get(key) != after.get(key)) {
        expected.add(key);
      }
    }
    List<Key> found = new ArrayList<>();
    HashTrie.forEachDifference(before, after, found::add);
    assertThat(found).doesNotHaveDuplicates();
    assertThat(new HashSet<>(found)).isEqualTo(expected);
    List<Key> backwards = new ArrayList<>();
    HashTrie.forEachDifference(after, before, backwards::add);
    assertThat(new HashSet<>(backwards)).isEqualTo(expected);
  }

  @Test
  void twoVersionsOfALargeMapAreComparedByWhatChanged() {
    HashTrie<Key, Object> before = HashTrie.empty();
    for (int i = 0; i < 10_000; i++) {
      before = before.plus(new Key(i * 0x9E3779B1, i), new Object());
    }
    HashTrie<Key, Object> after =
        before.plus(new Key(7 * 0x9E3779B1, 7), new Object()).minus(new Key(8 * 0x9E3779B1, 8));
    List<Key> found = new ArrayList<>();
    HashTrie.forEachDifference(before, after, found::add);
    assertThat(found)
        .containsExactlyInAnyOrder(new Key(7 * 0x9E3779B1, 7), new Key(8 * 0x9E3779B1, 8));
    // asked to stop, it stops
    List<Key> first = new ArrayList<>();
    HashTrie<Key, Object> rebuilt = HashTrie.empty();
    for (Map.Entry<Key, Object> entry : before.entrySet()) {
      rebuilt = rebuilt.plus(entry.getKey(), new Object());
    }
    boolean complete =
        HashTrie.forEachDifference(before, rebuilt, key -> first.add(key) && first.size() < 3);
    assertThat(complete).isFalse();
    assertThat(first).hasSize(3);
    // built apart, the map shares no node with the first but holds the same values: no difference
    HashTrie<Key, Object> apart = HashTrie.<Key, Object>empty().plusAll(before);
    List<Key> all = new ArrayList<>();
    HashTrie.forEachDifference(before, apart, all::add);
    assertThat(all).isEmpty();
  }

  /** Few hash bits make deep tries and full collisions; many make wide ones. */
  private static int mask(int hashBits) {
    return switch (hashBits) {
      case 0 -> 0x7;
      case 1 -> 0xF0F0;
      case 2 -> 0x80000003;
      default -> -1;
    };
  }

  private static Set<Key> union(Map<Key, ?> a, Map<Key, ?> b) {
    Set<Key> keys = new HashSet<>(a.keySet());
    keys.addAll(b.keySet());
    return keys;
  }

  @Test
  void removingEveryKeyLeavesAnEmptyMapEqualToTheEmptyOne() {
    HashTrie<Key, String> map = HashTrie.empty();
    for (int i = 0; i < 1000; i++) {
      map = map.plus(new Key(i % 7 == 0 ? 42 : i * 31, i), "v" + i);
    }
    assertThat(map).hasSize(1000);
    for (int i = 999; i >= 0; i--) {
      map = map.minus(new Key(i % 7 == 0 ? 42 : i * 31, i));
    }
    assertThat(map).isEmpty();
    assertThat(map).isEqualTo(HashTrie.empty()).isEqualTo(Map.of());
  }

  @Test
  void anUnchangedMapIsReturnedAsItIs() {
    HashTrie<Key, String> map = HashTrie.<Key, String>empty().plus(new Key(1, 1), "a");
    String value = map.get(new Key(1, 1));
    assertThat(map.plus(new Key(1, 1), value)).isSameAs(map);
    assertThat(map.minus(new Key(2, 2))).isSameAs(map);
    assertThat(map.minus(new Key(1, 2))).isSameAs(map);
  }
}
