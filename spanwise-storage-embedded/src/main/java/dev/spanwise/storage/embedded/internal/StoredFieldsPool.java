package dev.spanwise.storage.embedded.internal;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.AlreadyClosedException;

/**
 * Stored-fields readers of each segment, kept for the next read. {@link LeafReader#storedFields()}
 * returns a new reader each call, and a new reader grows its decompression buffers from empty:
 * about three quarters of what a trace by id allocated. A reader taken here is used by one thread
 * and then given back; a segment keeps at most {@value #PER_SEGMENT}, and its readers are dropped
 * when the segment closes.
 */
final class StoredFieldsPool {
  static final int PER_SEGMENT = 4;
  /** Segments whose close went unseen (closed before their first reader came back) pile up: cap. */
  static final int MAX_SEGMENTS = 1024;

  private final ConcurrentHashMap<IndexReader.CacheKey, ArrayBlockingQueue<StoredFields>> pools =
      new ConcurrentHashMap<>();

  /** A stored-fields reader of {@code segment} for this thread's use until {@link #give}. */
  StoredFields take(LeafReader segment) throws IOException {
    IndexReader.CacheHelper core = segment.getCoreCacheHelper();
    if (core != null) {
      ArrayBlockingQueue<StoredFields> pool = pools.get(core.getKey());
      StoredFields reader = pool == null ? null : pool.poll();
      if (reader != null) return reader;
    }
    return segment.storedFields();
  }

  /** Gives back a reader that {@link #take} returned for {@code segment}. */
  void give(LeafReader segment, StoredFields reader) {
    IndexReader.CacheHelper core = segment.getCoreCacheHelper();
    if (core == null || reader == null) return;
    ArrayBlockingQueue<StoredFields> pool = pools.get(core.getKey());
    if (pool == null) {
      if (pools.size() >= MAX_SEGMENTS) pools.clear();
      pool = pools.computeIfAbsent(core.getKey(), key -> new ArrayBlockingQueue<>(PER_SEGMENT));
      try {
        core.addClosedListener(pools::remove);
      } catch (AlreadyClosedException e) {
        pools.remove(core.getKey());
        return;
      }
    }
    pool.offer(reader); // full: dropped
  }

  /** Segments with readers kept (for tests). */
  int segments() {
    return pools.size();
  }
}
