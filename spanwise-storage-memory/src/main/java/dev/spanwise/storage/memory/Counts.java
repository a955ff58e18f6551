package dev.spanwise.storage.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/** A sorted multiset: names seen, each with how many stored spans still carry it. */
final class Counts<K extends Comparable<K>> {
  private final TreeMap<K, Integer> counts = new TreeMap<>();

  void add(K key) {
    counts.merge(key, 1, Integer::sum);
  }

  void remove(K key) {
    counts.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
  }

  boolean isEmpty() {
    return counts.isEmpty();
  }

  List<K> sorted() {
    return new ArrayList<>(counts.keySet());
  }

  NavigableMap<K, Integer> asMap() {
    return counts;
  }
}
