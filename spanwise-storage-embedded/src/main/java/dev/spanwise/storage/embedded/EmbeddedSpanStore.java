package dev.spanwise.storage.embedded;

import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.TraceId;
import dev.spanwise.storage.AttributeNames;
import dev.spanwise.storage.DependencyLink;
import dev.spanwise.storage.DependencyReader;
import dev.spanwise.storage.Operation;
import dev.spanwise.storage.ServiceNames;
import dev.spanwise.storage.SpanConsumer;
import dev.spanwise.storage.SpanStore;
import dev.spanwise.storage.StorageCapability;
import dev.spanwise.storage.TraceQuery;
import dev.spanwise.storage.TraceReader;
import dev.spanwise.storage.TraceSearch;
import dev.spanwise.storage.TraceSummary;
import dev.spanwise.storage.embedded.internal.TenantIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default storage backend: Apache Lucene inside the server's JVM, one index per tenant under
 * the directory it is opened on. Declares and answers every {@link StorageCapability}.
 *
 * <p>Writes are idempotent by (trace id, span id, kind), so a write-ahead log may replay into it
 * after a crash. The index is committed every {@link Options#commitInterval()}, on {@link
 * #flush()} and on {@link #close()}; after a crash (no close) it opens at its last commit. Readers
 * see new spans after the next refresh (every {@link Options#refreshInterval()} while the store is
 * read; a read after 30 s without reads refreshes first) or {@link #flush()}. One thread at a time
 * writes (writes are serialised); any number read.
 */
public final class EmbeddedSpanStore implements SpanStore {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSpanStore.class);
  private static final Pattern PLAIN_TENANT = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final String TENANTS = "tenants";
  private static final Set<StorageCapability> CAPABILITIES =
      Collections.unmodifiableSet(EnumSet.allOf(StorageCapability.class));

  private final Path directory;
  private final Options options;
  private final Map<String, TenantIndex> tenants = new ConcurrentHashMap<>();
  private final ScheduledExecutorService maintenance;
  private final Object openLock = new Object();
  private volatile boolean closed;

  private final SpanConsumer consumer = this::accept;
  private final TraceReader traceReader = new TraceReader() {
    @Override
    public List<Span> getTrace(String tenant, TraceId traceId) throws IOException {
      return EmbeddedSpanStore.this.getTrace(tenant, traceId);
    }

    @Override
    public List<List<Span>> getTraces(String tenant, Collection<TraceId> traceIds)
        throws IOException {
      for (TraceId id : traceIds) Objects.requireNonNull(id, "traceId");
      TenantIndex t = tenantForRead(tenant);
      return t == null ? List.of() : t.getTraces(new ArrayList<>(traceIds));
    }
  };
  private final TraceSearch traceSearch = this::search;
  private final ServiceNames serviceNames = new Names();
  private final AttributeNames attributeNames = new Keys();
  private final DependencyReader dependencyReader = this::dependencies;

  private EmbeddedSpanStore(Path directory, Options options) throws IOException {
    this.directory = directory;
    this.options = options;
    Path root = directory.resolve(TENANTS);
    Files.createDirectories(root);
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path dir : dirs) {
        String tenant = tenantOf(dir.getFileName().toString());
        if (tenant != null) tenants.put(tenant, TenantIndex.open(dir, settings()));
      }
    } catch (IOException | RuntimeException e) {
      for (TenantIndex t : tenants.values()) t.abandon();
      throw e;
    }
    maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "spanwise-embedded-maintenance");
      t.setDaemon(true);
      return t;
    });
    long refresh = options.refreshInterval().toMillis();
    maintenance.scheduleWithFixedDelay(this::refreshAll, refresh, refresh, TimeUnit.MILLISECONDS);
    long commit = options.commitInterval().toMillis();
    maintenance.scheduleWithFixedDelay(this::commitAll, commit, commit, TimeUnit.MILLISECONDS);
  }

  /** Opens (creating if needed) the store in {@code directory} with default options. */
  public static EmbeddedSpanStore open(Path directory) throws IOException {
    return open(directory, Options.builder().build());
  }

  /** Opens (creating if needed) the store in {@code directory}. */
  public static EmbeddedSpanStore open(Path directory, Options options) throws IOException {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(options, "options");
    return new EmbeddedSpanStore(directory, options);
  }

  private TenantIndex.Settings settings() {
    return new TenantIndex.Settings(options.ramBufferMb(), options.recentTraceCacheSpans(),
        options.maxIndexedValueLength());
  }

  @Override
  public Set<StorageCapability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public SpanConsumer spanConsumer() {
    return consumer;
  }

  @Override
  public TraceReader traceReader() {
    return traceReader;
  }

  @Override
  public TraceSearch traceSearch() {
    return traceSearch;
  }

  @Override
  public ServiceNames serviceNames() {
    return serviceNames;
  }

  @Override
  public AttributeNames attributeNames() {
    return attributeNames;
  }

  @Override
  public DependencyReader dependencyReader() {
    return dependencyReader;
  }

  /** Commits every tenant's index and makes everything accepted so far visible to readers. */
  @Override
  public void flush() throws IOException {
    checkOpen();
    for (TenantIndex t : tenants.values()) {
      t.commit();
      t.refresh();
    }
  }

  @Override
  public void deleteBefore(long cutoffEpochNanos) throws IOException {
    checkOpen();
    for (TenantIndex t : tenants.values()) t.deleteBefore(cutoffEpochNanos);
  }

  /** Bytes of every tenant's index files. */
  @Override
  public long diskBytes() {
    long total = 0;
    for (TenantIndex t : tenants.values()) {
      try {
        total += t.diskBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return total;
  }

  /** The directory the store was opened on. */
  public Path directory() {
    return directory;
  }

  @Override
  public void close() throws IOException {
    synchronized (openLock) {
      if (closed) return;
      closed = true;
    }
    maintenance.shutdown();
    try {
      maintenance.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    IOException failure = null;
    for (TenantIndex t : tenants.values()) {
      try {
        t.close();
      } catch (IOException e) {
        if (failure == null) failure = e;
        else failure.addSuppressed(e);
      }
    }
    tenants.clear();
    if (failure != null) throw failure;
  }

  /**
   * Stops without committing, as a crash would: what was not committed is lost (a write-ahead log
   * replays it). For tests of recovery.
   */
  void abandonForTest() throws IOException {
    synchronized (openLock) {
      closed = true;
    }
    maintenance.shutdownNow();
    try {
      maintenance.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (TenantIndex t : tenants.values()) t.abandon();
    tenants.clear();
  }

  // ------------------------------------------------------------------ parts

  private void accept(String tenant, List<Span> spans) throws IOException {
    checkOpen();
    Objects.requireNonNull(spans, "spans");
    if (spans.isEmpty()) return;
    tenantForWrite(tenant).accept(spans);
  }

  private List<Span> getTrace(String tenant, TraceId traceId) throws IOException {
    Objects.requireNonNull(traceId, "traceId");
    TenantIndex t = tenantForRead(tenant);
    return t == null ? List.of() : t.getTrace(traceId);
  }

  private List<TraceSummary> search(TraceQuery query) throws IOException {
    Objects.requireNonNull(query, "query");
    TenantIndex t = tenantForRead(query.tenant());
    return t == null ? List.of() : t.search(query);
  }

  private List<DependencyLink> dependencies(String tenant, long start, long end) {
    TenantIndex t = tenantForRead(tenant);
    return t == null ? List.of() : t.rollups().dependencies(start, end);
  }

  private final class Names implements ServiceNames {
    @Override
    public List<String> services(String tenant) {
      TenantIndex t = tenantForRead(tenant);
      return t == null ? List.of() : t.rollups().services();
    }

    @Override
    public List<Operation> operations(String tenant, String service, SpanKind kind) {
      TenantIndex t = tenantForRead(tenant);
      return t == null || service == null ? List.of() : t.rollups().operations(service, kind);
    }

    @Override
    public List<String> remoteServices(String tenant, String service) {
      TenantIndex t = tenantForRead(tenant);
      return t == null || service == null ? List.of() : t.rollups().remoteServices(service);
    }
  }

  private final class Keys implements AttributeNames {
    @Override
    public List<String> keys(String tenant, String service) {
      TenantIndex t = tenantForRead(tenant);
      return t == null ? List.of() : t.rollups().keys(service);
    }

    @Override
    public List<String> values(String tenant, String key, String prefix, int limit)
        throws IOException {
      TenantIndex t = tenantForRead(tenant);
      if (t == null || key == null || key.isEmpty()) return List.of();
      return t.attributeValues(key, prefix == null ? "" : prefix, limit);
    }
  }

  // ------------------------------------------------------------------ tenants

  private TenantIndex tenantForRead(String tenant) {
    checkOpen();
    return tenants.get(Objects.requireNonNull(tenant, "tenant"));
  }

  private TenantIndex tenantForWrite(String tenant) throws IOException {
    Objects.requireNonNull(tenant, "tenant");
    TenantIndex t = tenants.get(tenant);
    if (t != null) return t;
    synchronized (openLock) {
      checkOpen();
      t = tenants.get(tenant);
      if (t == null) {
        Path dir = directory.resolve(TENANTS).resolve(directoryName(tenant));
        Files.createDirectories(dir);
        t = TenantIndex.open(dir, settings());
        tenants.put(tenant, t);
      }
      return t;
    }
  }

  private void checkOpen() {
    if (closed) throw new IllegalStateException("embedded span store is closed");
  }

  /** A tenant's directory name: itself when plain, else {@code x} and its UTF-8 in hex. */
  static String directoryName(String tenant) {
    if (PLAIN_TENANT.matcher(tenant).matches()) return "t-" + tenant;
    StringBuilder sb = new StringBuilder("x-");
    for (byte b : tenant.getBytes(StandardCharsets.UTF_8)) {
      sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return sb.toString();
  }

  static String tenantOf(String directoryName) {
    if (directoryName.startsWith("t-")) return directoryName.substring(2);
    if (directoryName.startsWith("x-") && directoryName.length() % 2 == 0) {
      String hex = directoryName.substring(2);
      byte[] bytes = new byte[hex.length() / 2];
      for (int i = 0; i < bytes.length; i++) {
        int hi = Character.digit(hex.charAt(2 * i), 16);
        int lo = Character.digit(hex.charAt(2 * i + 1), 16);
        if (hi < 0 || lo < 0) return null;
        bytes[i] = (byte) (hi << 4 | lo);
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
    return null;
  }

  private void refreshAll() {
    for (TenantIndex t : new ArrayList<>(tenants.values())) {
      try {
        t.scheduledRefresh();
      } catch (IOException | RuntimeException e) {
        LOG.warn("refresh of {} failed", t.path(), e);
      }
    }
  }

  private void commitAll() {
    for (TenantIndex t : new ArrayList<>(tenants.values())) {
      try {
        t.commit();
      } catch (IOException | RuntimeException e) {
        LOG.warn("commit of {} failed", t.path(), e);
      }
    }
  }

  /** Settings of the embedded store; {@link Builder#build()} throws naming a wrong field. */
  public static final class Options {
    private final Duration refreshInterval;
    private final Duration commitInterval;
    private final double ramBufferMb;
    private final int recentTraceCacheSpans;
    private final int maxIndexedValueLength;

    private Options(Builder b) {
      refreshInterval = b.refreshInterval;
      commitInterval = b.commitInterval;
      ramBufferMb = b.ramBufferMb;
      recentTraceCacheSpans = b.recentTraceCacheSpans;
      maxIndexedValueLength = b.maxIndexedValueLength;
    }

    public static Builder builder() {
      return new Builder();
    }

    /**
     * How often new spans become searchable without {@link #flush()} while the store is being
     * read; default 1 s. After 30 s without reads, refreshes pause (they cost ingest speed), and
     * the next read refreshes first, so it sees every span accepted before it.
     */
    public Duration refreshInterval() {
      return refreshInterval;
    }

    /** How often the index is committed to disk; default 30 s. */
    public Duration commitInterval() {
      return commitInterval;
    }

    /** Lucene's indexing buffer; default 64 MB. */
    public double ramBufferMb() {
      return ramBufferMb;
    }

    /**
     * Spans of recently written traces the writer remembers (for dependency links across batches
     * and duplicate detection without reading the index); default 200,000.
     */
    public int recentTraceCacheSpans() {
      return recentTraceCacheSpans;
    }

    /** Attribute values longer than this are not indexed as terms (still searchable); 256. */
    public int maxIndexedValueLength() {
      return maxIndexedValueLength;
    }

    @Override
    public String toString() {
      return "Options{refreshInterval=" + refreshInterval + ", commitInterval=" + commitInterval
          + ", ramBufferMb=" + ramBufferMb + ", recentTraceCacheSpans=" + recentTraceCacheSpans
          + ", maxIndexedValueLength=" + maxIndexedValueLength + "}";
    }

    public static final class Builder {
      private Duration refreshInterval = Duration.ofSeconds(1);
      private Duration commitInterval = Duration.ofSeconds(30);
      private double ramBufferMb = 64;
      private int recentTraceCacheSpans = 200_000;
      private int maxIndexedValueLength = 256;

      Builder() {}

      public Builder refreshInterval(Duration refreshInterval) {
        this.refreshInterval = Objects.requireNonNull(refreshInterval, "refreshInterval");
        return this;
      }

      public Builder commitInterval(Duration commitInterval) {
        this.commitInterval = Objects.requireNonNull(commitInterval, "commitInterval");
        return this;
      }

      public Builder ramBufferMb(double ramBufferMb) {
        this.ramBufferMb = ramBufferMb;
        return this;
      }

      public Builder recentTraceCacheSpans(int recentTraceCacheSpans) {
        this.recentTraceCacheSpans = recentTraceCacheSpans;
        return this;
      }

      public Builder maxIndexedValueLength(int maxIndexedValueLength) {
        this.maxIndexedValueLength = maxIndexedValueLength;
        return this;
      }

      public Options build() {
        if (refreshInterval.toMillis() < 1) {
          throw new IllegalArgumentException("refreshInterval must be at least 1 ms");
        }
        if (commitInterval.toMillis() < 1) {
          throw new IllegalArgumentException("commitInterval must be at least 1 ms");
        }
        if (!(ramBufferMb >= 1 && ramBufferMb <= 2048)) {
          throw new IllegalArgumentException("ramBufferMb must be between 1 and 2048");
        }
        if (recentTraceCacheSpans < 0) {
          throw new IllegalArgumentException("recentTraceCacheSpans must not be negative");
        }
        if (maxIndexedValueLength < 1 || maxIndexedValueLength > 8192) {
          throw new IllegalArgumentException("maxIndexedValueLength must be between 1 and 8192");
        }
        return new Options(this);
      }
    }
  }
}
