package dev.spanwise.server;

import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.spanwise.codec.jaeger.JaegerThriftDecoder;
import dev.spanwise.collector.pipeline.DurableSpanPipeline;
import dev.spanwise.collector.pipeline.PipelineMetrics;
import dev.spanwise.collector.receiver.JaegerGrpcReceiver;
import dev.spanwise.collector.receiver.JaegerThriftHttpReceiver;
import dev.spanwise.collector.receiver.JaegerUdpReceiver;
import dev.spanwise.collector.receiver.OtlpGrpcReceiver;
import dev.spanwise.collector.receiver.OtlpHttpReceiver;
import dev.spanwise.collector.receiver.ReceiverLimits;
import dev.spanwise.collector.receiver.ZipkinReceiver;
import dev.spanwise.query.JaegerApiV3;
import dev.spanwise.query.JaegerQueryApi;
import dev.spanwise.query.SpanwiseQueryApi;
import dev.spanwise.query.ZipkinQueryApi;
import dev.spanwise.sampling.AdaptiveOptions;
import dev.spanwise.sampling.SamplingStrategies;
import dev.spanwise.storage.embedded.EmbeddedSpanStore;
import dev.spanwise.ui.SpanwiseUi;
import dev.spanwise.wal.WalOptions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The all-in-one role: receivers -> durable pipeline (write-ahead log) -> indexer -> embedded store
 * <- query APIs, one Armeria server per port, metrics and health on the query port.
 */
final class AllInOne implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(AllInOne.class);
  /** Keep serving until no request came for this long (in-flight requests finish)... */
  private static final Duration QUIET_PERIOD = Duration.ofMillis(500);
  /** ...but stop after this at the latest. */
  private static final Duration GRACE_TIMEOUT = Duration.ofSeconds(5);

  private final FileChannel lockChannel;
  private final FileLock lock;
  private final EmbeddedSpanStore store;
  private final DurableSpanPipeline pipeline;
  private final List<Server> ingestServers;
  private final List<Server> queryServers;
  private final List<JaegerUdpReceiver> udpReceivers;
  private final SamplingStrategies sampling;
  private final ScheduledExecutorService maintenance;
  private final AtomicBoolean closed = new AtomicBoolean();

  private AllInOne(FileChannel lockChannel, FileLock lock, EmbeddedSpanStore store,
      DurableSpanPipeline pipeline, List<Server> ingestServers, List<Server> queryServers,
      List<JaegerUdpReceiver> udpReceivers, SamplingStrategies sampling,
      ScheduledExecutorService maintenance) {
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.store = store;
    this.pipeline = pipeline;
    this.ingestServers = ingestServers;
    this.queryServers = queryServers;
    this.udpReceivers = udpReceivers;
    this.sampling = sampling;
    this.maintenance = maintenance;
  }

  static AllInOne start(ServerConfig config) throws Exception {
    Path dataDir = config.dataDir();
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new SpanwiseServer.ConfigException(
          "--data-dir: cannot create " + dataDir + ": " + e.getMessage());
    }
    FileChannel lockChannel = FileChannel.open(dataDir.resolve("spanwise.lock"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      throw new SpanwiseServer.ConfigException(
          "--data-dir: " + dataDir + " is in use by another Spanwise process");
    }

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);

    List<AutoCloseable> opened = new ArrayList<>();
    try {
      EmbeddedSpanStore store = EmbeddedSpanStore.open(dataDir.resolve("index"));
      opened.add(store);
      WalOptions walOptions = WalOptions.builder()
          .maxPendingBytes(config.maxQueuedBytes())
          .listener(PipelineMetrics.walListener(registry))
          .build();
      SamplingStrategies sampling;
      try {
        sampling = SamplingStrategies.builder()
            .strategiesFile(config.samplingStrategiesFile())
            .reloadInterval(config.samplingReloadInterval())
            .adaptive(AdaptiveOptions.builder()
                .targetTracesPerSecond(config.samplingTargetTps())
                .recomputeInterval(config.samplingRecomputeInterval())
                .build())
            .stateFile(dataDir.resolve("sampling").resolve("adaptive-state.json"))
            .meterRegistry(registry)
            .build();
      } catch (IllegalArgumentException e) {
        throw new SpanwiseServer.ConfigException(
            "--sampling-strategies-file: " + e.getMessage());
      }
      opened.add(sampling);
      sampling.start();
      DurableSpanPipeline pipeline = DurableSpanPipeline.create(dataDir.resolve("wal"), store,
          DurableSpanPipeline.Options.builder().walOptions(walOptions)
              .maxIndexLagBytes(config.maxIndexLagBytes())
              // adaptive sampling learns from the batches the indexer stores
              .stored((tenant, spans) -> sampling.observe(spans))
              .build());
      opened.add(pipeline);
      PipelineMetrics.bind(pipeline, registry);
      Gauge.builder("spanwise.storage.disk", store, EmbeddedSpanStore::diskBytes)
          .baseUnit("bytes").description("Bytes the span store occupies on disk")
          .register(registry);
      Gauge.builder("spanwise.wal.disk", pipeline,
              p -> p.walStats().endPosition() - p.walStats().firstPosition())
          .baseUnit("bytes").description("Bytes kept in write-ahead log segments")
          .register(registry);

      ReceiverLimits limits = ReceiverLimits.builder()
          .maxBodyBytes(config.maxBodyBytes())
          .maxInFlightBytes(config.maxInflightBytes())
          .build();
      OtlpGrpcReceiver otlpGrpc = new OtlpGrpcReceiver(pipeline, limits, registry);
      OtlpHttpReceiver otlpHttp = new OtlpHttpReceiver(pipeline, limits, registry);
      ZipkinReceiver zipkin = new ZipkinReceiver(pipeline, limits, registry);
      JaegerThriftHttpReceiver jaegerHttp =
          new JaegerThriftHttpReceiver(pipeline, limits, registry);
      JaegerGrpcReceiver jaegerGrpc = new JaegerGrpcReceiver(pipeline, limits, registry);
      AdminService admin = new AdminService(registry, () -> notReady(pipeline));

      List<Server> queryServers = new ArrayList<>();
      List<Server> ingestServers = new ArrayList<>();
      queryServers.add(server(config, config.queryPort(), "query", sb -> {
        new JaegerQueryApi(store).configure(sb);
        new JaegerApiV3(store).configure(sb);
        new SpanwiseQueryApi(store).configure(sb);
        sampling.queryApi().configure(sb);
        admin.configure(sb);
        new SpanwiseUi().configure(sb); // "/" and the app's deep links; never /api/**

      }));
      ingestServers.add(server(config, config.otlpGrpcPort(), "otlp-grpc", otlpGrpc::configure));
      ingestServers.add(server(config, config.otlpHttpPort(), "otlp-http", otlpHttp::configure));
      // Zipkin's port both receives and answers reads; it stops with the ingest servers.
      ingestServers.add(server(config, config.zipkinPort(), "zipkin", sb -> {
        zipkin.configure(sb);
        new ZipkinQueryApi(store).configure(sb);
      }));
      ingestServers.add(server(config, config.jaegerThriftHttpPort(), "jaeger-thrift-http",
          jaegerHttp::configure));
      ingestServers.add(server(config, config.jaegerGrpcPort(), "jaeger-grpc",
          jaegerGrpc::configure));
      ingestServers.add(server(config, config.samplingHttpPort(), "sampling-http",
          sampling.httpService()::configure));
      ingestServers.add(server(config, config.samplingGrpcPort(), "sampling-grpc",
          sampling.grpcService()::configure));
      List<JaegerUdpReceiver> udpReceivers = List.of(
          new JaegerUdpReceiver(pipeline,
              new InetSocketAddress(config.bindAddress(), config.jaegerCompactPort()),
              JaegerThriftDecoder.Protocol.COMPACT, config.udpMaxPacketBytes(), limits, registry),
          new JaegerUdpReceiver(pipeline,
              new InetSocketAddress(config.bindAddress(), config.jaegerBinaryPort()),
              JaegerThriftDecoder.Protocol.BINARY, config.udpMaxPacketBytes(), limits, registry));

      List<Server> all = new ArrayList<>(queryServers);
      all.addAll(ingestServers);
      for (Server s : all) opened.add(() -> s.stop().join());
      for (Server s : all) startOrExplain(s);
      for (JaegerUdpReceiver udp : udpReceivers) {
        opened.add(udp);
        udp.start();
      }

      ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spanwise-retention");
        t.setDaemon(true);
        return t;
      });
      Duration retention = config.retention();
      // A tenth of the retention, at most every 10 minutes: a pass blocks the indexer briefly.
      long period = Math.max(1, Math.min(600, retention.toSeconds() / 10));
      maintenance.scheduleWithFixedDelay(() -> enforceRetention(store, retention),
          Math.min(period, 10), period, TimeUnit.SECONDS);

      logger.info("Spanwise all-in-one ready: otlp-grpc={} otlp-http={} zipkin={} "
              + "jaeger-thrift-http={} jaeger-grpc={} jaeger-compact=udp:{} jaeger-binary=udp:{} "
              + "sampling-http={} sampling-grpc={} sampling={} query={} data-dir={} retention={}",
          address(all.get(1)), address(all.get(2)), address(all.get(3)), address(all.get(4)),
          address(all.get(5)), udpReceivers.get(0).localAddress(),
          udpReceivers.get(1).localAddress(), address(all.get(6)), address(all.get(7)),
          sampling.fromFile() ? config.samplingStrategiesFile() : "adaptive",
          address(all.get(0)), dataDir, retention);
      return new AllInOne(lockChannel, lock, store, pipeline, ingestServers, queryServers,
          udpReceivers, sampling, maintenance);
    } catch (Exception e) {
      for (int i = opened.size() - 1; i >= 0; i--) {
        try {
          opened.get(i).close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      lock.release();
      lockChannel.close();
      throw e;
    }
  }

  private static String notReady(DurableSpanPipeline pipeline) {
    if (!pipeline.indexer().isRunning()) return "indexer is not running";
    if (!pipeline.indexer().replayed()) {
      return "replaying the write-ahead log after a restart: " + pipeline.indexer().lagBytes()
          + " bytes to index";
    }
    return null;
  }

  private static void enforceRetention(EmbeddedSpanStore store, Duration retention) {
    try {
      long cutoff = (System.currentTimeMillis() - retention.toMillis()) * 1_000_000L;
      store.deleteBefore(cutoff);
    } catch (Exception e) {
      logger.warn("Retention pass failed; will retry", e);
    }
  }

  private static Server server(ServerConfig config, int port, String name,
      Consumer<ServerBuilder> routes) {
    ServerBuilder sb = Server.builder()
        .port(new InetSocketAddress(config.bindAddress(), port), SessionProtocol.HTTP)
        .gracefulShutdownTimeout(QUIET_PERIOD, GRACE_TIMEOUT)
        .serviceWorkerGroup(com.linecorp.armeria.common.CommonPools.workerGroup(), false);
    routes.accept(sb);
    return sb.build();
  }

  private static void startOrExplain(Server server) {
    try {
      server.start().join();
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("cannot listen on " + server.config().ports() + ": "
          + cause.getMessage(), cause);
    }
  }

  private static String address(Server server) {
    return server.activePorts().values().iterator().next().localAddress().toString();
  }

  /**
   * The actual port of the server for {@code name}'s index: 0 query, 1 grpc, 2 http, 3 zipkin,
   * 4 jaeger-thrift-http, 5 jaeger-grpc, 6 sampling-http, 7 sampling-grpc.
   */
  int port(int index) {
    List<Server> all = new ArrayList<>(queryServers);
    all.addAll(ingestServers);
    return all.get(index).activeLocalPort();
  }

  /** The actual UDP port of the Jaeger agent receiver for {@code protocol}. */
  int udpPort(JaegerThriftDecoder.Protocol protocol) {
    for (JaegerUdpReceiver udp : udpReceivers) {
      if (udp.protocol() == protocol) return udp.localAddress().getPort();
    }
    throw new IllegalArgumentException("no UDP receiver for " + protocol);
  }

  private static void stopAll(List<Server> servers) {
    CompletableFuture.allOf(servers.stream().map(Server::stop).toArray(CompletableFuture[]::new))
        .join();
  }

  /** Stops taking spans, drains what was acknowledged into the store, then stops reads. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    long t0 = System.nanoTime();
    logger.info("Spanwise stopping: receivers first");
    maintenance.shutdownNow();
    for (JaegerUdpReceiver udp : udpReceivers) udp.close(); // stop reading datagrams at once
    stopAll(ingestServers); // together: each waits out its own grace period
    long t1 = System.nanoTime();
    pipeline.close();       // the indexer drains what was acknowledged (bounded by --max-index-lag)
    sampling.close();       // keeps the adaptive probabilities for the next start
    long t2 = System.nanoTime();
    stopAll(queryServers);
    long t3 = System.nanoTime();
    try {
      store.close();
    } catch (IOException e) {
      logger.warn("Closing the store failed", e);
    }
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException ignored) {
      // the process is ending
    }
    long t4 = System.nanoTime();
    logger.info("Spanwise stopped: receivers {} ms, indexer drain {} ms, query {} ms, store {} ms",
        (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000,
        (t4 - t3) / 1_000_000);
  }
}
