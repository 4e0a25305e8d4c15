package io.aigw.core.event;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SortedSet;

/**
 * An immutable sorted set of seqs in one array: a provenance. Tens of thousands of desired objects
 * each keep one, and most share it with the other objects of their route, so it is built once per
 * route rather than copied into a tree set per object. Equal to any set with the same seqs, and
 * printed like one ({@code [3, 7]}).
 */
public final class SeqSet extends AbstractSet<Long> implements SortedSet<Long> {

  private static final SeqSet EMPTY = new SeqSet(new long[0]);

  private final long[] seqs;

  private SeqSet(long[] sortedDistinct) {
    this.seqs = sortedDistinct;
  }

  /** The distinct seqs of {@code seqs}, in order. */
  public static SeqSet of(Collection<Long> seqs) {
    if (seqs instanceof SeqSet set) {
      return set;
    }
    long[] values = new long[seqs.size()];
    int i = 0;
    for (Long seq : seqs) {
      values[i++] = seq;
    }
    return sorted(values, values.length);
  }

  /** The union of this set and {@code more}. */
  public SeqSet plus(Collection<Long> more) {
    if (more.isEmpty()) {
      return this;
    }
    long[] values = Arrays.copyOf(seqs, seqs.length + more.size());
    int i = seqs.length;
    for (Long seq : more) {
      values[i++] = seq;
    }
    return sorted(values, values.length);
  }

  private static SeqSet sorted(long[] values, int length) {
    if (length == 0) {
      return EMPTY;
    }
    Arrays.sort(values, 0, length);
    int distinct = 1;
    for (int i = 1; i < length; i++) {
      if (values[i] != values[distinct - 1]) {
        values[distinct++] = values[i];
      }
    }
    return new SeqSet(distinct == values.length ? values : Arrays.copyOf(values, distinct));
  }

  @Override
  public int size() {
    return seqs.length;
  }

  @Override
  public boolean contains(Object value) {
    return value instanceof Long seq && Arrays.binarySearch(seqs, seq) >= 0;
  }

  @Override
  public Iterator<Long> iterator() {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < seqs.length;
      }

      @Override
      public Long next() {
        if (next >= seqs.length) {
          throw new NoSuchElementException();
        }
        return seqs[next++];
      }
    };
  }

  @Override
  public Comparator<? super Long> comparator() {
    return null;
  }

  @Override
  public SortedSet<Long> subSet(Long fromElement, Long toElement) {
    if (fromElement > toElement) {
      throw new IllegalArgumentException("fromElement > toElement");
    }
    return range(fromElement, toElement);
  }

  @Override
  public SortedSet<Long> headSet(Long toElement) {
    return range(Long.MIN_VALUE, toElement);
  }

  @Override
  public SortedSet<Long> tailSet(Long fromElement) {
    int from = index(fromElement);
    return new SeqSet(Arrays.copyOfRange(seqs, from, seqs.length));
  }

  /** Seqs from {@code from} inclusive to {@code to} exclusive. */
  private SeqSet range(long from, long to) {
    return new SeqSet(Arrays.copyOfRange(seqs, index(from), index(to)));
  }

  /** The index of the first seq not below {@code seq}. */
  private int index(long seq) {
    int found = Arrays.binarySearch(seqs, seq);
    return found >= 0 ? found : -found - 1;
  }

  @Override
  public Long first() {
    if (seqs.length == 0) {
      throw new NoSuchElementException();
    }
    return seqs[0];
  }

  @Override
  public Long last() {
    if (seqs.length == 0) {
      throw new NoSuchElementException();
    }
    return seqs[seqs.length - 1];
  }

  @Override
  public boolean equals(Object other) {
    if (other instanceof SeqSet that) {
      return Arrays.equals(seqs, that.seqs);
    }
    return super.equals(other);
  }

  @Override
  public int hashCode() {
    int hash = 0;
    for (long seq : seqs) {
      hash += Long.hashCode(seq);
    }
    return hash;
  }
}
