package dev.spanwise.storage.embedded;

import dev.spanwise.model.Attributes;
import dev.spanwise.model.InstrumentationScope;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanEvent;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.Status;
import dev.spanwise.model.TraceId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates a realistic tracing workload: a dozen services with a few instances each, traces of 5
 * to 40 spans (server, client, database and internal spans), 6 to 10 attributes per span, some
 * events, about 2% errors. Spans of a trace are delivered in one to three batches, out of order
 * (children before parents sometimes), interleaved with other traces, as collectors deliver them.
 */
final class WorkloadGenerator {
  static final String[] SERVICES = {
    "frontend", "api-gateway", "auth", "user", "catalog", "cart", "checkout", "payment",
    "shipping", "inventory", "recommendation", "notification"
  };
  private static final String[][] ROUTES = {
    {"/", "/product/{id}", "/cart", "/checkout", "/login", "/search"},
    {"/api/v1/products", "/api/v1/cart", "/api/v1/orders", "/api/v1/users/{id}"},
    {"/token", "/verify", "/refresh"},
    {"/users/{id}", "/users", "/users/{id}/preferences"},
    {"/products/{id}", "/products", "/categories", "/products/{id}/reviews"},
    {"/cart/{id}", "/cart/{id}/items", "/cart/{id}/clear"},
    {"/orders", "/orders/{id}", "/orders/{id}/confirm"},
    {"/charge", "/refund", "/authorize"},
    {"/quote", "/ship", "/track/{id}"},
    {"/stock/{id}", "/reserve", "/release"},
    {"/recommendations", "/similar/{id}"},
    {"/email", "/sms", "/push"},
  };
  private static final String[] DB_SYSTEMS = {"postgresql", "redis", "mongodb"};
  private static final String[] DB_OPS = {"SELECT", "INSERT", "UPDATE", "GET", "SET", "find"};
  private static final String[] METHODS = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};
  private static final String[] INTERNAL = {"serialize", "validate", "render", "compute", "map"};

  private final SplittableRandom random;
  private final long startNanos;
  private final long spanIntervalNanos;
  private final Resource[][] resources;
  private final InstrumentationScope[] scopes;
  private final List<List<List<Span>>> delayed = new ArrayList<>();
  private long clock;
  private long traces;
  private final List<TraceId> sampleTraceIds =
      java.util.Collections.synchronizedList(new ArrayList<>());

  /**
   * @param startNanos time of the first trace
   * @param spanIntervalNanos simulated time between two spans' traces (sets the data's time span)
   */
  WorkloadGenerator(long seed, long startNanos, long spanIntervalNanos) {
    this.random = new SplittableRandom(seed);
    this.startNanos = startNanos;
    this.spanIntervalNanos = spanIntervalNanos;
    this.clock = startNanos;
    resources = new Resource[SERVICES.length][];
    for (int s = 0; s < SERVICES.length; s++) {
      resources[s] = new Resource[3];
      for (int i = 0; i < 3; i++) {
        resources[s][i] = Resource.of(Attributes.builder()
            .put("service.name", SERVICES[s])
            .put("service.version", "1." + (s % 4) + "." + i)
            .put("service.namespace", "shop")
            .put("deployment.environment", "production")
            .put("host.name", "node-" + (s * 3 + i) % 7)
            .put("k8s.pod.name", SERVICES[s] + "-7d9f8c6b5-" + Integer.toString(1000 + s * 31 + i, 36))
            .put("telemetry.sdk.language", s % 3 == 0 ? "go" : "java")
            .put("telemetry.sdk.name", "opentelemetry")
            .put("telemetry.sdk.version", "1.40.0")
            .build());
      }
    }
    scopes = new InstrumentationScope[] {
      InstrumentationScope.of("io.opentelemetry.armeria", "1.40.0-alpha"),
      InstrumentationScope.of("io.opentelemetry.jdbc", "1.40.0-alpha"),
      InstrumentationScope.of("shop.internal", "")
    };
  }

  long startNanos() {
    return startNanos;
  }

  /** The time of the newest trace generated so far. */
  long clockNanos() {
    return clock;
  }

  long traceCount() {
    return traces;
  }

  /** Every 50th trace id generated, for lookups. */
  List<TraceId> sampleTraceIds() {
    return sampleTraceIds;
  }

  /** A copy of the sample, safe to take from another thread. */
  List<TraceId> sampleTraceIdsSnapshot() {
    synchronized (sampleTraceIds) {
      return new ArrayList<>(sampleTraceIds);
    }
  }

  /** The next batch of about {@code size} spans. */
  List<Span> nextBatch(int size) {
    List<Span> batch = new ArrayList<>(size + 64);
    if (!delayed.isEmpty()) {
      for (List<Span> part : delayed.remove(0)) batch.addAll(part);
    }
    while (batch.size() < size) {
      List<Span> trace = trace();
      Collections.shuffle(trace, new java.util.Random(random.nextLong()));
      int parts = 1 + random.nextInt(3);
      int per = (trace.size() + parts - 1) / parts;
      for (int p = 0; p < parts; p++) {
        List<Span> part = new ArrayList<>(trace.subList(Math.min(trace.size(), p * per),
            Math.min(trace.size(), (p + 1) * per)));
        if (part.isEmpty()) continue;
        if (p == 0) {
          batch.addAll(part);
        } else {
          int delay = p - 1 + random.nextInt(2);
          while (delayed.size() <= delay) delayed.add(new ArrayList<>());
          delayed.get(delay).add(part);
        }
      }
    }
    return batch;
  }

  /** What is still held back (call at the end). */
  List<Span> drain() {
    List<Span> rest = new ArrayList<>();
    for (List<List<Span>> parts : delayed) for (List<Span> p : parts) rest.addAll(p);
    delayed.clear();
    return rest;
  }

  private List<Span> trace() {
    int target = 5 + random.nextInt(36);
    TraceId traceId = TraceId.of(random.nextLong(), random.nextLong());
    if (traces++ % 50 == 0) sampleTraceIds.add(traceId);
    long start = clock;
    clock += spanIntervalNanos * target;
    List<Span> spans = new ArrayList<>(target);
    int rootRoute = random.nextInt(ROUTES[0].length);
    long duration = 5_000_000L + (long) (random.nextDouble() * random.nextDouble() * 900_000_000L);
    server(spans, traceId, 0, 0, rootRoute, start, duration, target);
    return spans;
  }

  private void server(List<Span> spans, TraceId traceId, long parent, int service, int route,
      long start, long duration, int target) {
    long id = random.nextLong() | 1;
    Resource resource = resources[service][random.nextInt(3)];
    String path = ROUTES[service][route % ROUTES[service].length];
    String method = METHODS[random.nextInt(METHODS.length)];
    boolean error = random.nextInt(100) < 1;
    int status = error ? 500 : (random.nextInt(50) == 0 ? 404 : 200);
    Attributes.Builder a = Attributes.builder()
        .put("http.request.method", method)
        .put("http.route", path)
        .put("http.response.status_code", status)
        .put("url.path", path.replace("{id}", Integer.toString(random.nextInt(5000))))
        .put("server.port", 8080)
        .put("network.protocol.version", "1.1")
        .put("user_agent.original", random.nextInt(3) == 0 ? "okhttp/4.12" : "Mozilla/5.0");
    if (random.nextInt(2) == 0) a.put("enduser.id", "user-" + random.nextInt(20_000));
    if (random.nextInt(3) == 0) a.put("shop.tenant", "tenant-" + random.nextInt(40));
    Span.Builder b = base(traceId, id, parent, resource, scopes[0], method + " " + path,
        SpanKind.SERVER, start, duration, a.build(), error);
    spans.add(b.build());
    // children: calls to other services, database calls, internal work
    long cursor = start + duration / 20;
    while (spans.size() < target && cursor < start + duration) {
      int left = target - spans.size();
      long childDuration = Math.max(100_000L,
          (long) ((start + duration - cursor) * (0.2 + 0.6 * random.nextDouble())));
      int choice = random.nextInt(10);
      if (choice < 5 && left >= 2) {
        int callee = 1 + random.nextInt(SERVICES.length - 1);
        if (callee == service) callee = (callee % (SERVICES.length - 1)) + 1;
        int calleeRoute = random.nextInt(ROUTES[callee].length);
        long clientId = client(spans, traceId, id, service, resource, callee, calleeRoute,
            cursor, childDuration);
        long lag = childDuration / 20;
        server(spans, traceId, clientId, callee, calleeRoute, cursor + lag,
            childDuration - 2 * lag, Math.min(target, spans.size() + 1 + random.nextInt(left)));
      } else if (choice < 8) {
        db(spans, traceId, id, resource, cursor, childDuration / 3);
      } else {
        internal(spans, traceId, id, resource, cursor, childDuration / 2);
      }
      cursor += childDuration / 2 + 1;
    }
  }

  private long client(List<Span> spans, TraceId traceId, long parent, int service,
      Resource resource, int callee, int route, long start, long duration) {
    long id = random.nextLong() | 1;
    String path = ROUTES[callee][route];
    String method = METHODS[random.nextInt(METHODS.length)];
    boolean error = random.nextInt(100) < 2;
    Attributes a = Attributes.builder()
        .put("http.request.method", method)
        .put("server.address", SERVICES[callee])
        .put("server.port", 8080)
        .put("url.full", "http://" + SERVICES[callee] + ":8080"
            + path.replace("{id}", Integer.toString(random.nextInt(5000))))
        .put("http.response.status_code", error ? 503 : 200)
        .put("peer.service", SERVICES[callee])
        .put("network.protocol.version", "1.1")
        .build();
    spans.add(base(traceId, id, parent, resource, scopes[0], method, SpanKind.CLIENT, start,
        duration, a, error).build());
    return id;
  }

  private void db(List<Span> spans, TraceId traceId, long parent, Resource resource, long start,
      long duration) {
    int system = random.nextInt(DB_SYSTEMS.length);
    String op = DB_OPS[random.nextInt(DB_OPS.length)];
    String table = "table_" + random.nextInt(12);
    boolean error = random.nextInt(100) < 1;
    Attributes a = Attributes.builder()
        .put("db.system", DB_SYSTEMS[system])
        .put("db.operation.name", op)
        .put("db.collection.name", table)
        .put("db.query.text", op + " * FROM " + table + " WHERE id = ?")
        .put("server.address", DB_SYSTEMS[system] + "-primary")
        .put("server.port", 5432 + system)
        .put("db.namespace", "shop")
        .build();
    Span.Builder b = base(traceId, random.nextLong() | 1, parent, resource, scopes[1],
        op + " " + table, SpanKind.CLIENT, start, duration, a, error);
    spans.add(b.build());
  }

  private void internal(List<Span> spans, TraceId traceId, long parent, Resource resource,
      long start, long duration) {
    String name = INTERNAL[random.nextInt(INTERNAL.length)];
    Attributes a = Attributes.builder()
        .put("code.function", name)
        .put("code.namespace", "shop." + name + ".Handler")
        .put("thread.name", "worker-" + random.nextInt(16))
        .put("thread.id", 20 + random.nextInt(16))
        .put("shop.items", random.nextInt(30))
        .put("shop.cache.hit", random.nextBoolean())
        .build();
    Span.Builder b = base(traceId, random.nextLong() | 1, parent, resource, scopes[2], name,
        SpanKind.INTERNAL, start, duration, a, false);
    if (random.nextInt(3) == 0) {
      b.addEvent(SpanEvent.of(start + duration / 3, "cache.lookup",
          Attributes.builder().put("cache.key", "k" + random.nextInt(1000))
              .put("cache.hit", random.nextBoolean()).build()));
    }
    spans.add(b.build());
  }

  private Span.Builder base(TraceId traceId, long id, long parent, Resource resource,
      InstrumentationScope scope, String name, SpanKind kind, long start, long duration,
      Attributes attributes, boolean error) {
    Span.Builder b = Span.builder()
        .traceId(traceId)
        .spanId(id)
        .parentSpanId(parent)
        .resource(resource)
        .scope(scope)
        .name(name)
        .kind(kind)
        .startEpochNanos(start)
        .endEpochNanos(start + Math.max(1000, duration))
        .attributes(attributes)
        .flags(1);
    if (error) {
      b.status(Status.error("upstream failed"));
      b.addEvent(SpanEvent.of(start + duration / 2, "exception", Attributes.builder()
          .put("exception.type", "java.io.IOException")
          .put("exception.message", "connection reset by peer")
          .put("exception.stacktrace", "java.io.IOException: connection reset by peer\n"
              + "\tat shop.Client.call(Client.java:" + (40 + random.nextInt(60)) + ")\n"
              + "\tat shop.Handler.handle(Handler.java:88)")
          .build()));
    }
    return b;
  }
}
