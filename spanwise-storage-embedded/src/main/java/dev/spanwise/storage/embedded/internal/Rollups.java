package dev.spanwise.storage.embedded.internal;

import dev.spanwise.model.Attributes;
import dev.spanwise.model.Resource;
import dev.spanwise.model.SpanKind;
import dev.spanwise.storage.DependencyLink;
import dev.spanwise.storage.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-tenant aggregates maintained at ingest: services, operations, remote services, attribute
 * keys (each with the latest span start seen, so retention can drop what only old data had), and
 * dependency edges with call and error counts per minute. Changed entries are remembered as dirty
 * so that the index can persist them as rollup documents in the same commit as the spans.
 *
 * <p>Thread-safe: one writer, many readers, every method synchronized (all are short).
 */
public final class Rollups {
  static final long BUCKET_NANOS = 60_000_000_000L;
  private static final char SEP = '\u0001';

  private final Map<String, Long> services = new HashMap<>();
  private final Map<String, Map<Operation, Long>> operations = new HashMap<>();
  private final Map<String, Map<String, Long>> remotes = new HashMap<>();
  private final Map<String, Map<String, Long>> keys = new HashMap<>();
  private final NavigableMap<Long, Map<Edge, long[]>> dependencies = new TreeMap<>();

  record Edge(String parent, String child) {}

  /** Marks of entries changed since the last commit. */
  private record Service(String service) {}

  private record Op(String service, Operation operation) {}

  private record Remote(String service, String remote) {}

  private record Key(String service, String key) {}

  private record Dependency(long bucket, Edge edge) {}

  private record ResourceMark(long id) {}

  private record StringMark(int id) {}

  /** Strings longer than this, or past this many, are stored inline in spans. */
  static final int MAX_STRING_LENGTH = 256;
  static final int MAX_STRINGS = 100_000;
  private final Map<String, Integer> stringIds = new HashMap<>();
  private volatile String[] strings = new String[256];
  private int stringCount;

  /** The table of repeated strings of this tenant's spans (keys, names). */
  final SpanCodec.Strings stringTable = new SpanCodec.Strings() {
    @Override
    public int id(String s) {
      return stringId(s);
    }

    @Override
    public String string(int id) {
      String[] a = strings;
      String s = id >= 0 && id < a.length ? a[id] : null;
      if (s == null) {
        synchronized (Rollups.this) {
          a = strings;
          s = id >= 0 && id < a.length ? a[id] : null;
        }
      }
      return s;
    }
  };

  private synchronized int stringId(String s) {
    Integer id = stringIds.get(s);
    if (id != null) return id;
    if (s.length() > MAX_STRING_LENGTH || stringCount >= MAX_STRINGS) return -1;
    int next = stringCount++;
    putString(next, s);
    dirty.add(new StringMark(next));
    return next;
  }

  private void putString(int id, String s) {
    String[] a = strings;
    if (id >= a.length) a = java.util.Arrays.copyOf(a, Math.max(a.length * 2, id + 1));
    a[id] = s;
    strings = a;
    stringIds.put(s, id);
  }

  /** The resource table: resources of spans are stored once, spans refer to them by id. */
  private final Map<Long, Resource> resourcesById = new ConcurrentHashMap<>();
  private final Map<Resource, Long> idsByResource = new HashMap<>();
  /** The writer's shortcut: a batch's spans share resource objects. */
  private final Map<Resource, Long> recentResources = new IdentityHashMap<>();

  private final java.util.Set<Object> dirty = new java.util.LinkedHashSet<>();

  /**
   * The end of the minute {@code start} falls in: "last seen" is kept at minute precision, so an
   * entry changes (and is persisted) at most once a minute, and is never dropped by retention while
   * it has data at or after the cutoff.
   */
  private static long seenMark(long start) {
    return (Math.floorDiv(start, BUCKET_NANOS) + 1) * BUCKET_NANOS;
  }

  // --- ingest side

  synchronized void service(String service, long start) {
    long mark = seenMark(start);
    Long seen = services.get(service);
    if (seen == null || seen < mark) {
      services.put(service, mark);
      dirty.add(new Service(service));
    }
  }

  synchronized void operation(String service, String name, SpanKind kind, long start) {
    long mark = seenMark(start);
    Map<Operation, Long> ops = operations.computeIfAbsent(service, s -> new HashMap<>());
    Operation op = Operation.of(name, kind);
    Long seen = ops.get(op);
    if (seen == null || seen < mark) {
      ops.put(op, mark);
      dirty.add(new Op(service, op));
    }
  }

  synchronized void remoteService(String service, String remote, long start) {
    long mark = seenMark(start);
    Map<String, Long> m = remotes.computeIfAbsent(service, s -> new HashMap<>());
    Long seen = m.get(remote);
    if (seen == null || seen < mark) {
      m.put(remote, mark);
      dirty.add(new Remote(service, remote));
    }
  }

  /**
   * Marks every key of {@code attributes} as seen for {@code service} at {@code start}, the
   * service's map found once.
   */
  synchronized void attributeKeys(String service, Attributes attributes, long start) {
    if (attributes.isEmpty()) return;
    long mark = seenMark(start);
    Map<String, Long> m = keys.computeIfAbsent(service, s -> new HashMap<>());
    for (int i = 0; i < attributes.size(); i++) {
      String attributeKey = attributes.key(i);
      Long seen = m.get(attributeKey);
      if (seen == null || seen < mark) {
        m.put(attributeKey, mark);
        dirty.add(new Key(service, attributeKey));
      }
    }
  }

  static long bucket(long time) {
    return Math.floorDiv(time, BUCKET_NANOS);
  }

  /**
   * The id of a resource in the table, added if new; 0 (store it inline) in the unlikely case
   * that another resource has the same 64-bit hash.
   */
  synchronized long resourceId(Resource resource) {
    Long id = recentResources.get(resource);
    if (id != null) return id;
    id = idsByResource.get(resource);
    if (id == null) {
      long hash = SpanCodec.resourceId(SpanCodec.encodeResource(resource));
      Resource existing = resourcesById.get(hash);
      if (existing != null && !existing.equals(resource)) return 0;
      id = hash;
      idsByResource.put(resource, id);
      resourcesById.put(id, resource);
      dirty.add(new ResourceMark(id));
    }
    if (recentResources.size() >= 1024) recentResources.clear();
    recentResources.put(resource, id);
    return id;
  }

  /** Ids of the table's resources that {@code test} accepts. */
  public List<Long> resourceIds(java.util.function.Predicate<Resource> test) {
    List<Long> ids = new ArrayList<>();
    for (Map.Entry<Long, Resource> e : resourcesById.entrySet()) {
      if (test.test(e.getValue())) ids.add(e.getKey());
    }
    return ids;
  }

  /** A resource of the table, or null. Lock-free: called while decoding spans. */
  public Resource resource(long id) {
    return resourcesById.get(id);
  }

  /**
   * Calls per second of the last hour (of data) since this process opened the store, in a ring per
   * edge: they make the partial minutes at the ends of a recent range exact. Not persisted: minutes
   * that had calls before the store was opened are known per minute only.
   */
  static final int RECENT_SECONDS = 3600;
  private final Map<Edge, RecentCalls> recentCalls = new HashMap<>();
  private long newestCallSecond = Long.MIN_VALUE;
  /** The newest minute with calls persisted by an earlier process: its seconds are unknown. */
  private long newestLoadedBucket = Long.MIN_VALUE;

  private static final class RecentCalls {
    final long[] seconds = new long[RECENT_SECONDS];
    final int[] calls = new int[RECENT_SECONDS];
    final int[] errors = new int[RECENT_SECONDS];

    RecentCalls() {
      java.util.Arrays.fill(seconds, Long.MIN_VALUE);
    }

    void add(long second, long c, long e) {
      int i = (int) Math.floorMod(second, (long) RECENT_SECONDS);
      if (seconds[i] != second) {
        if (second < seconds[i]) return; // older than the ring holds
        seconds[i] = second;
        calls[i] = 0;
        errors[i] = 0;
      }
      calls[i] += (int) c;
      errors[i] += (int) e;
    }

    void sum(long from, long to, long[] into) {
      for (long s = from; s < to; s++) {
        int i = (int) Math.floorMod(s, (long) RECENT_SECONDS);
        if (seconds[i] == s) {
          into[0] += calls[i];
          into[1] += errors[i];
        }
      }
    }
  }

  /** Whether the rings hold every call of seconds [from, to). */
  private boolean recentCovers(long from, long to) {
    boolean afterLoaded = newestLoadedBucket == Long.MIN_VALUE
        || from >= (newestLoadedBucket + 1) * 60;
    return afterLoaded && from > newestCallSecond - RECENT_SECONDS
        && to <= newestCallSecond + RECENT_SECONDS;
  }

  /** Adds {@code calls} (negative to retract) at the epoch {@code second}. */
  synchronized void calls(String parent, String child, long second, long calls, long errors) {
    long bucket = Math.floorDiv(second, 60L);
    Map<Edge, long[]> edges = dependencies.computeIfAbsent(bucket, b -> new HashMap<>());
    Edge edge = new Edge(parent, child);
    newestCallSecond = Math.max(newestCallSecond, second);
    recentCalls.computeIfAbsent(edge, e -> new RecentCalls()).add(second, calls, errors);
    long[] counts = edges.computeIfAbsent(edge, e -> new long[2]);
    counts[0] += calls;
    counts[1] += errors;
    dirty.add(new Dependency(bucket, edge));
  }

  // --- read side

  public synchronized List<String> services() {
    return new ArrayList<>(new TreeSet<>(services.keySet()));
  }

  public synchronized List<Operation> operations(String service, SpanKind kind) {
    Map<Operation, Long> ops = operations.get(service);
    if (ops == null) return List.of();
    TreeSet<Operation> sorted = new TreeSet<>();
    for (Operation op : ops.keySet()) {
      if (kind == null || op.kind() == kind) sorted.add(op);
    }
    return new ArrayList<>(sorted);
  }

  public synchronized List<String> remoteServices(String service) {
    Map<String, Long> m = remotes.get(service);
    return m == null ? List.of() : new ArrayList<>(new TreeSet<>(m.keySet()));
  }

  public synchronized List<String> keys(String service) {
    TreeSet<String> sorted = new TreeSet<>();
    if (service == null) {
      for (Map<String, Long> m : keys.values()) sorted.addAll(m.keySet());
    } else {
      Map<String, Long> m = keys.get(service);
      if (m != null) sorted.addAll(m.keySet());
    }
    return new ArrayList<>(sorted);
  }

  /**
   * Calls that started within [{@code startNanos}, {@code endNanos}): whole minutes from the
   * per-minute rollups; the partial minutes at either end from the per-second rings when they
   * hold those seconds (recent data), else left out. Second precision: a call counts when its
   * whole second lies within the range.
   */
  public synchronized List<DependencyLink> dependencies(long startNanos, long endNanos) {
    long from = Math.floorDiv(startNanos + BUCKET_NANOS - 1, BUCKET_NANOS);
    long to = Math.floorDiv(endNanos, BUCKET_NANOS) - 1;
    long fromSecond = Math.floorDiv(startNanos + 999_999_999L, 1_000_000_000L);
    long toSecond = Math.floorDiv(endNanos, 1_000_000_000L);
    Map<Edge, long[]> sum = new HashMap<>();
    if (to >= from) {
      for (Map<Edge, long[]> edges : dependencies.subMap(from, true, to, true).values()) {
        for (Map.Entry<Edge, long[]> e : edges.entrySet()) {
          long[] s = sum.computeIfAbsent(e.getKey(), k -> new long[2]);
          s[0] += e.getValue()[0];
          s[1] += e.getValue()[1];
        }
      }
      addRecent(sum, fromSecond, from * 60);
      addRecent(sum, (to + 1) * 60, toSecond);
    } else {
      addRecent(sum, fromSecond, toSecond);
    }
    List<DependencyLink> links = new ArrayList<>();
    for (Map.Entry<Edge, long[]> e : sum.entrySet()) {
      if (e.getValue()[0] <= 0) continue;
      links.add(DependencyLink.of(e.getKey().parent(), e.getKey().child(), e.getValue()[0],
          Math.max(0, e.getValue()[1])));
    }
    links.sort(null);
    return links;
  }

  private void addRecent(Map<Edge, long[]> sum, long from, long to) {
    if (to <= from || !recentCovers(from, to)) return;
    for (Map.Entry<Edge, RecentCalls> e : recentCalls.entrySet()) {
      long[] s = new long[2];
      e.getValue().sum(from, to, s);
      if (s[0] != 0 || s[1] != 0) {
        long[] total = sum.computeIfAbsent(e.getKey(), k -> new long[2]);
        total[0] += s[0];
        total[1] += s[1];
      }
    }
  }

  // --- persistence

  /** Takes the entries changed since the last call: rollup key to values (long[] or byte[]). */
  synchronized Map<String, Object> takeDirty() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Object d : dirty) {
      if (d instanceof StringMark m) {
        out.put(key('S', Integer.toString(m.id())),
            strings[m.id()].getBytes(java.nio.charset.StandardCharsets.UTF_8));
        continue;
      }
      if (d instanceof ResourceMark r) {
        Resource resource = resourcesById.get(r.id());
        if (resource != null) {
          out.put(key('R', Long.toString(r.id())), SpanCodec.encodeResource(resource));
        }
        continue;
      }
      if (d instanceof Service s) {
        Long v = services.get(s.service());
        if (v != null) out.put(key('s', s.service()), new long[] {v});
      } else if (d instanceof Op o) {
        Map<Operation, Long> ops = operations.get(o.service());
        Long v = ops == null ? null : ops.get(o.operation());
        if (v != null) out.put(opKey(o.service(), o.operation()), new long[] {v});
      } else if (d instanceof Remote r) {
        Map<String, Long> m = remotes.get(r.service());
        Long v = m == null ? null : m.get(r.remote());
        if (v != null) out.put(key('r', r.service(), r.remote()), new long[] {v});
      } else if (d instanceof Key k) {
        Map<String, Long> m = keys.get(k.service());
        Long v = m == null ? null : m.get(k.key());
        if (v != null) out.put(key('k', k.service(), k.key()), new long[] {v});
      } else if (d instanceof Dependency dep) {
        Map<Edge, long[]> edges = dependencies.get(dep.bucket());
        long[] v = edges == null ? null : edges.get(dep.edge());
        if (v != null) out.put(depKey(dep.bucket(), dep.edge()), v.clone());
      }
    }
    dirty.clear();
    return out;
  }

  private static String opKey(String service, Operation op) {
    return key('o', service, Integer.toString(op.kind().otlpNumber()), op.name());
  }

  private static String depKey(long bucket, Edge e) {
    return key('d', Long.toString(bucket), e.parent(), e.child());
  }

  /** Loads one persisted entry (at open). */
  synchronized void load(String key, long[] values, byte[] bytes) {
    String[] p = key.split(String.valueOf(SEP), -1);
    switch (p[0]) {
      case "S":
        if (bytes != null) {
          int id = Integer.parseInt(p[1]);
          putString(id, new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
          stringCount = Math.max(stringCount, id + 1);
        }
        break;
      case "R":
        if (bytes != null) {
          Resource resource = SpanCodec.decodeResource(bytes);
          long id = Long.parseLong(p[1]);
          resourcesById.put(id, resource);
          idsByResource.put(resource, id);
        }
        break;
      case "s":
        services.put(p[1], values[0]);
        break;
      case "o":
        operations.computeIfAbsent(p[1], s -> new HashMap<>())
            .put(Operation.of(p[3], SpanKind.fromOtlpNumber(Integer.parseInt(p[2]))), values[0]);
        break;
      case "r":
        remotes.computeIfAbsent(p[1], s -> new HashMap<>()).put(p[2], values[0]);
        break;
      case "k":
        keys.computeIfAbsent(p[1], s -> new HashMap<>()).put(p[2], values[0]);
        break;
      case "d":
        newestLoadedBucket = Math.max(newestLoadedBucket, Long.parseLong(p[1]));
        dependencies.computeIfAbsent(Long.parseLong(p[1]), b -> new HashMap<>())
            .put(new Edge(p[2], p[3]), new long[] {values[0], values[1]});
        break;
      default:
        // an entry of a later version: ignore
    }
  }

  /**
   * Drops entries with no data at or after {@code cutoffNanos} (as far as minute precision tells)
   * and dependency buckets that ended before it; returns the rollup keys removed, so their
   * documents can be deleted.
   */
  synchronized List<String> deleteBefore(long cutoffNanos, StillUsed used) {
    List<String> removed = new ArrayList<>();
    services.entrySet().removeIf(e -> {
      boolean old = e.getValue() <= cutoffNanos && !used.service(e.getKey());
      if (old) removed.add(key('s', e.getKey()));
      return old;
    });
    for (Map.Entry<String, Map<Operation, Long>> svc : operations.entrySet()) {
      svc.getValue().entrySet().removeIf(e -> {
        boolean old = e.getValue() <= cutoffNanos && !used.operation(svc.getKey(), e.getKey());
        if (old) {
          removed.add(opKey(svc.getKey(), e.getKey()));
        }
        return old;
      });
    }
    operations.values().removeIf(Map::isEmpty);
    removeOld(remotes, 'r', cutoffNanos, removed, used::remoteService);
    removeOld(keys, 'k', cutoffNanos, removed, used::attributeKey);
    long lastWholeBucket = Math.floorDiv(cutoffNanos, BUCKET_NANOS) - 1;
    NavigableMap<Long, Map<Edge, long[]>> old = dependencies.headMap(lastWholeBucket, true);
    for (Map.Entry<Long, Map<Edge, long[]>> b : old.entrySet()) {
      for (Edge e : b.getValue().keySet()) {
        removed.add(depKey(b.getKey(), e));
      }
    }
    old.clear();
    long firstKeptSecond = (lastWholeBucket + 1) * 60;
    for (RecentCalls ring : recentCalls.values()) {
      for (int i = 0; i < RECENT_SECONDS; i++) {
        if (ring.seconds[i] != Long.MIN_VALUE && ring.seconds[i] < firstKeptSecond) {
          ring.calls[i] = 0;
          ring.errors[i] = 0;
        }
      }
    }
    return removed;
  }

  private static void removeOld(Map<String, Map<String, Long>> map, char type, long cutoff,
      List<String> removed, java.util.function.BiPredicate<String, String> used) {
    for (Map.Entry<String, Map<String, Long>> svc : map.entrySet()) {
      svc.getValue().entrySet().removeIf(e -> {
        boolean old = e.getValue() <= cutoff && !used.test(svc.getKey(), e.getKey());
        if (old) removed.add(key(type, svc.getKey(), e.getKey()));
        return old;
      });
    }
    map.values().removeIf(Map::isEmpty);
  }

  /**
   * Whether spans still stored use a name: asked before dropping an entry whose last-seen mark is
   * before the cutoff, since traces that straddle the cutoff keep their older spans.
   */
  interface StillUsed {
    boolean service(String service);

    boolean operation(String service, Operation operation);

    boolean remoteService(String service, String remote);

    boolean attributeKey(String service, String key);
  }

  static String key(char type, String... parts) {
    StringBuilder sb = new StringBuilder().append(type);
    for (String p : parts) sb.append(SEP).append(p);
    return sb.toString();
  }
}
