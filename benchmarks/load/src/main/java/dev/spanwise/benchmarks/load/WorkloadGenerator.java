package dev.spanwise.benchmarks.load;

import dev.spanwise.benchmarks.load.LoadSpan.Kind;
import dev.spanwise.benchmarks.load.LoadSpan.LoadEvent;
import dev.spanwise.benchmarks.load.ShopTopology.Endpoint;
import dev.spanwise.benchmarks.load.ShopTopology.Step;
import dev.spanwise.benchmarks.load.ShopTopology.StepType;
import dev.spanwise.benchmarks.load.ShopTopology.Transport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Generates traces of an e-commerce shop: a dozen services calling each other over HTTP and gRPC,
 * with database, cache, search-index and external API client spans and in-process work.
 *
 * <p>Each trace has 5 to 40 spans forming a proper tree (a SERVER span under each service-to-
 * service CLIENT span, children inside their parent's time range), 6 to 10 span attributes named
 * after the OpenTelemetry semantic conventions, some events, and about {@code errorRate} error
 * traces, where an error starts at a leaf and propagates to the root. Timestamps come from the
 * given clock (trace end about now); everything else is a function of the seed.
 */
final class WorkloadGenerator {
  static final int MIN_SPANS = 5;
  static final int MAX_SPANS = 40;
  static final int MIN_ATTRIBUTES = 6;
  static final int MAX_ATTRIBUTES = 10;
  static final double DEFAULT_ERROR_RATE = 0.02;
  static final int INSTANCES_PER_SERVICE = 3;
  static final int USERS = 50_000;

  private static final String[] USER_AGENTS = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "ShopApp/4.12.0 (Android 15; Pixel 8)"
  };
  private static final String[] ERRORS = {
    "java.sql.SQLTransientConnectionException|Connection is not available, request timed out after 3000ms.",
    "io.lettuce.core.RedisCommandTimeoutException|Command timed out after 1 second(s)",
    "java.net.SocketTimeoutException|Read timed out",
    "java.lang.IllegalStateException|Inventory reservation conflict for sku",
    "java.lang.NullPointerException|Cannot invoke \"Price.amount()\" because \"price\" is null",
    "io.grpc.StatusRuntimeException|UNAVAILABLE: io exception"
  };
  private static final Map<String, String> DB_SYSTEM = Map.ofEntries(
      Map.entry("auth", "postgresql"), Map.entry("catalog", "postgresql"),
      Map.entry("inventory", "mysql"), Map.entry("pricing", "postgresql"),
      Map.entry("cart", "postgresql"), Map.entry("order", "postgresql"),
      Map.entry("payment", "postgresql"), Map.entry("shipping", "mongodb"),
      Map.entry("notification", "mongodb"), Map.entry("search", "postgresql"),
      Map.entry("frontend", "postgresql"), Map.entry("api-gateway", "postgresql"));

  private final SplittableRandom random;
  private final LongSupplier epochNanosClock;
  private final double errorRate;
  private final Map<String, List<ServiceInstance>> instances = new LinkedHashMap<>();
  private final List<String> rootKeys = new ArrayList<>();
  private final int[] rootCumulativeWeights;

  WorkloadGenerator(long seed, LongSupplier epochNanosClock) {
    this(seed, epochNanosClock, DEFAULT_ERROR_RATE);
  }

  WorkloadGenerator(long seed, LongSupplier epochNanosClock, double errorRate) {
    if (epochNanosClock == null) throw new NullPointerException("epochNanosClock");
    if (!(errorRate >= 0 && errorRate <= 1)) {
      throw new IllegalArgumentException("errorRate: must be in [0, 1], was " + errorRate);
    }
    ShopTopology.validate();
    this.random = new SplittableRandom(seed);
    this.epochNanosClock = epochNanosClock;
    this.errorRate = errorRate;
    int ip = 10;
    for (String service : ShopTopology.SERVICES) {
      List<ServiceInstance> list = new ArrayList<>();
      for (int i = 0; i < INSTANCES_PER_SERVICE; i++) {
        String pod = service + "-" + String.format(java.util.Locale.ROOT, "%08x", random.nextInt())
            + "-" + (char) ('a' + random.nextInt(26)) + (char) ('a' + random.nextInt(26))
            + (char) ('a' + random.nextInt(26));
        String address = "10.42." + ip + "." + (11 + i);
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("service.name", service);
        resource.put("service.namespace", "shop");
        resource.put("service.version", "2." + (service.length() % 7) + "." + (ip % 5));
        resource.put("service.instance.id", pod);
        resource.put("deployment.environment.name", "production");
        resource.put("host.name", pod);
        resource.put("k8s.namespace.name", "shop");
        resource.put("k8s.pod.name", pod);
        resource.put("telemetry.sdk.name", "opentelemetry");
        resource.put("telemetry.sdk.language", "java");
        resource.put("telemetry.sdk.version", "1.68.0");
        list.add(new ServiceInstance(service, pod, pod, address,
            Collections.unmodifiableMap(resource)));
      }
      instances.put(service, List.copyOf(list));
      ip++;
    }
    rootCumulativeWeights = new int[ShopTopology.ROOTS.size()];
    int sum = 0;
    int i = 0;
    for (Map.Entry<String, Integer> e : ShopTopology.ROOTS.entrySet()) {
      rootKeys.add(e.getKey());
      sum += e.getValue();
      rootCumulativeWeights[i++] = sum;
    }
  }

  /** The service instances spans are attributed to, by service name. */
  Map<String, List<ServiceInstance>> instances() {
    return Collections.unmodifiableMap(instances);
  }

  /** Generates the next trace. */
  LoadTrace nextTrace() {
    TraceId traceId = new TraceId(random.nextLong(), random.nextLong() | 1L);
    TraceContext ctx = new TraceContext(traceId, "user-" + random.nextInt(USERS));
    int target = MIN_SPANS + random.nextInt(MAX_SPANS - MIN_SPANS + 1);

    // 1. Shape: expand the call graph breadth first until the span budget is used.
    Endpoint rootEndpoint = ShopTopology.ENDPOINTS.get(pickRoot());
    Node root = new Node(null, Kind.SERVER, StepType.CALL, rootEndpoint, null,
        pickInstance(rootEndpoint.service()));
    List<Node> nodes = new ArrayList<>();
    List<Node> servers = new ArrayList<>();
    nodes.add(root);
    servers.add(root);
    ArrayList<Node> queue = new ArrayList<>();
    queue.add(root);
    for (int q = 0; q < queue.size() && nodes.size() < target; q++) {
      Node server = queue.get(q);
      for (Step step : server.endpoint.steps()) {
        if (nodes.size() >= target) break;
        if (random.nextDouble() >= step.probability()) continue;
        if (step.type() == StepType.CALL) {
          if (target - nodes.size() < 2) continue;
          Endpoint callee = ShopTopology.ENDPOINTS.get(step.target());
          Node client = new Node(server, Kind.CLIENT, StepType.CALL, callee, step, server.instance);
          Node calleeServer = new Node(client, Kind.SERVER, StepType.CALL, callee, step,
              pickInstance(callee.service()));
          nodes.add(client);
          nodes.add(calleeServer);
          servers.add(calleeServer);
          queue.add(calleeServer);
        } else {
          nodes.add(leaf(server, step));
        }
      }
    }
    // Below budget: repeated work (N+1 queries, per-item cache lookups, loops) on served requests.
    while (nodes.size() < target) {
      Node server = servers.get(random.nextInt(servers.size()));
      List<Step> local = new ArrayList<>();
      for (Step s : server.endpoint.steps()) {
        if (s.type() != StepType.CALL) local.add(s);
      }
      Step step = local.isEmpty()
          ? new Step(StepType.INTERNAL, "processItem", null, 1.0)
          : local.get(random.nextInt(local.size()));
      nodes.add(leaf(server, step));
    }

    // 2. Errors: a leaf fails and the failure propagates to the root.
    boolean error = random.nextDouble() < errorRate;
    if (error) {
      List<Node> leaves = new ArrayList<>();
      for (Node n : nodes) {
        if (n.children.isEmpty() && n != root) leaves.add(n);
      }
      Node origin = leaves.get(random.nextInt(leaves.size()));
      origin.errorOrigin = true;
      for (Node n = origin; n != null; n = n.parent) n.error = true;
    }

    // 3. Times: the root ends about now; children sit inside their parents.
    long rootDuration = (long) Math.exp(Math.log(8e6) + random.nextDouble() * Math.log(1.2e9 / 8e6));
    long end = epochNanosClock.getAsLong() - random.nextInt(1_000_000_000);
    assignTimes(root, end - rootDuration, end);

    // 4. Ids and attributes.
    for (Node n : nodes) n.spanId = nextSpanId();
    List<LoadSpan> spans = new ArrayList<>(nodes.size());
    for (Node n : nodes) spans.add(toSpan(ctx, n));
    return new LoadTrace(traceId, Collections.unmodifiableList(spans), error);
  }

  private long nextSpanId() {
    long id;
    do {
      id = random.nextLong();
    } while (id == 0);
    return id;
  }

  private String pickRoot() {
    int total = rootCumulativeWeights[rootCumulativeWeights.length - 1];
    int r = random.nextInt(total);
    for (int i = 0; i < rootCumulativeWeights.length; i++) {
      if (r < rootCumulativeWeights[i]) return rootKeys.get(i);
    }
    throw new AssertionError();
  }

  private ServiceInstance pickInstance(String service) {
    List<ServiceInstance> list = instances.get(service);
    return list.get(random.nextInt(list.size()));
  }

  private Node leaf(Node server, Step step) {
    Kind kind = step.type() == StepType.INTERNAL ? Kind.INTERNAL : Kind.CLIENT;
    return new Node(server, kind, step.type(), server.endpoint, step, server.instance);
  }

  private void assignTimes(Node node, long start, long end) {
    node.start = start;
    node.end = end;
    List<Node> children = node.children;
    if (children.isEmpty()) return;
    long d = end - start;
    if (node.kind == Kind.CLIENT) {
      // The callee's SERVER span, inside the client span by the network latency on each side.
      long before = Math.min(d / 10, 80_000 + random.nextInt(500_000));
      long after = Math.min(d / 10, 80_000 + random.nextInt(500_000));
      assignTimes(children.get(0), start + before, end - after);
      return;
    }
    double selfFraction = 0.05 + random.nextDouble() * 0.25;
    if (children.size() >= 2 && random.nextDouble() < 0.15) {
      for (Node child : children) { // fan-out in parallel
        long cs = start + (long) (d * selfFraction * random.nextDouble() * 0.5);
        long ce = cs + (long) ((end - cs) * (0.4 + random.nextDouble() * 0.55));
        assignTimes(child, cs, clamp(ce, cs, end));
      }
      return;
    }
    double[] weights = new double[children.size()];
    double weightSum = 0;
    for (int i = 0; i < weights.length; i++) {
      weights[i] = weightOf(children.get(i)) * (0.5 + random.nextDouble());
      weightSum += weights[i];
    }
    double[] gaps = new double[children.size() + 1];
    double gapSum = 0;
    for (int i = 0; i < gaps.length; i++) {
      gaps[i] = 0.2 + random.nextDouble();
      gapSum += gaps[i];
    }
    double available = d * (1 - selfFraction);
    double gapTotal = d * selfFraction;
    double cursor = start + gapTotal * gaps[0] / gapSum;
    for (int i = 0; i < weights.length; i++) {
      double duration = available * weights[i] / weightSum;
      long cs = clamp((long) cursor, start, end);
      long ce = clamp((long) (cursor + duration), cs, end);
      assignTimes(children.get(i), cs, ce);
      cursor += duration + gapTotal * gaps[i + 1] / gapSum;
    }
  }

  private static long clamp(long v, long lo, long hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  private static double weightOf(Node n) {
    switch (n.stepType) {
      case CALL:
      case EXTERNAL:
        return 3;
      case SEARCH_INDEX:
        return 2;
      case DB:
        return 1;
      case INTERNAL:
        return 0.6;
      case CACHE:
        return 0.2;
      default:
        throw new AssertionError(n.stepType);
    }
  }

  private LoadSpan toSpan(TraceContext ctx, Node n) {
    Attributes a = new Attributes();
    String name;
    String scope;
    String remoteService = null;
    String remoteAddress = null;
    int remotePort = 0;
    Endpoint ep = n.endpoint;
    String service = n.instance.service();
    if (n.kind == Kind.SERVER) {
      scope = ep.transport() == Transport.HTTP
          ? "io.opentelemetry.armeria-1.3" : "io.opentelemetry.grpc-1.6";
      name = ep.spanName();
      if (ep.transport() == Transport.HTTP) {
        long status = n.error ? 500 : ep.method().equals("POST") ? 201 : 200;
        a.core("http.request.method", ep.method());
        a.core("http.route", ep.route());
        a.core("url.path", concretePath(ep.route()));
        a.core("http.response.status_code", status);
        a.core("url.scheme", "http");
        a.core("server.address", n.parent == null ? "shop.example.com" : service + ".shop.svc");
        a.optional("server.port", n.parent == null ? 443L : 8080L);
        a.optional("client.address", n.parent == null
            ? "203.0." + random.nextInt(114) + "." + (1 + random.nextInt(254))
            : n.parent.instance.ipv4());
        a.optional("network.protocol.version", n.parent == null ? "2" : "1.1");
        a.optional("enduser.id", ctx.userId);
        a.optional("http.request.body.size", ep.method().equals("POST") ? 200L + random.nextInt(4000) : 0L);
        a.optional("http.response.body.size", 500L + random.nextInt(60_000));
        if (n.parent == null) a.optional("user_agent.original", USER_AGENTS[random.nextInt(USER_AGENTS.length)]);
        a.optional("app.request.id", Long.toHexString(random.nextLong()));
      } else {
        grpcAttributes(a, ep, n, service);
        a.optional("enduser.id", ctx.userId);
        a.optional("network.peer.address", n.parent.instance.ipv4());
      }
    } else if (n.kind == Kind.INTERNAL) {
      String function = n.step.target();
      String type = className(service);
      scope = "shop." + service;
      name = type + "." + function;
      a.core("code.function.name", "dev.shop." + service.replace("-", "") + "." + type + "." + function);
      a.core("code.file.path", type + ".java");
      a.core("code.line.number", 40L + random.nextInt(400));
      a.core("thread.name", "armeria-common-worker-epoll-3-" + (1 + random.nextInt(8)));
      a.optional("thread.id", 40L + random.nextInt(60));
      a.optional("enduser.id", ctx.userId);
      a.optional("app.product.id", "sku-" + (10_000 + random.nextInt(90_000)));
      a.optional("app.items.count", 1L + random.nextInt(12));
      a.optional("app.cache.enabled", random.nextBoolean());
      a.optional("app.cost.units", Math.round(random.nextDouble() * 1000) / 100.0);
    } else {
      switch (n.stepType) {
        case CALL: {
          remoteService = ep.service();
          remoteAddress = instances.get(ep.service()).get(0).ipv4();
          if (ep.transport() == Transport.HTTP) {
            scope = "io.opentelemetry.armeria-1.3";
            name = ep.method();
            remotePort = 8080;
            String host = ep.service() + ".shop.svc";
            a.core("http.request.method", ep.method());
            a.core("url.full", "http://" + host + ":8080" + concretePath(ep.route()));
            a.core("server.address", host);
            a.core("server.port", 8080L);
            a.core("http.response.status_code", n.error ? 500L : ep.method().equals("POST") ? 201L : 200L);
            a.core("peer.service", ep.service());
            a.optional("network.protocol.version", "1.1");
            a.optional("network.peer.address", remoteAddress);
            a.optional("network.peer.port", 8080L);
            a.optional("url.scheme", "http");
            a.optional("enduser.id", ctx.userId);
          } else {
            scope = "io.opentelemetry.grpc-1.6";
            name = ep.route();
            remotePort = 9090;
            grpcAttributes(a, ep, n, ep.service());
            a.optional("peer.service", ep.service());
            a.optional("network.peer.address", remoteAddress);
            a.optional("network.peer.port", 9090L);
          }
          break;
        }
        case DB: {
          String system = DB_SYSTEM.get(service);
          String table = n.step.target();
          String op = n.step.operation();
          String dbName = service.replace("-", "_");
          String host = system + "-" + service + ".shop.svc";
          int port = system.equals("mysql") ? 3306 : system.equals("mongodb") ? 27017 : 5432;
          scope = system.equals("mongodb") ? "io.opentelemetry.mongo-3.1" : "io.opentelemetry.jdbc";
          name = op + " " + dbName + "." + table;
          remoteService = system + "-" + service;
          remoteAddress = "10.43." + (service.length() * 7 % 250) + ".5";
          remotePort = port;
          a.core("db.system", system);
          a.core("db.name", dbName);
          a.core("db.operation", op);
          a.core("db.sql.table", table);
          a.core("db.statement", statement(system, op, table));
          a.core("server.address", host);
          a.optional("server.port", (long) port);
          a.optional("db.user", service + "_app");
          a.optional("network.peer.address", remoteAddress);
          a.optional("network.peer.port", (long) port);
          a.optional("peer.service", remoteService);
          a.optional("db.response.returned_rows", op.equals("SELECT") ? (long) random.nextInt(50) : 1L);
          break;
        }
        case CACHE: {
          String command = n.step.operation();
          String key = n.step.target() + ":" + (command.equals("GET") || command.equals("SET")
              ? (n.step.target().equals("session") || n.step.target().equals("cart")
                  ? ctx.userId : String.valueOf(10_000 + random.nextInt(90_000)))
              : "*");
          scope = "io.opentelemetry.lettuce-5.1";
          name = command;
          remoteService = "redis";
          remoteAddress = "10.43.200.7";
          remotePort = 6379;
          a.core("db.system", "redis");
          a.core("db.operation", command);
          a.core("db.statement", command + " " + key + (command.equals("SET") ? " ?" : ""));
          a.core("db.redis.database_index", 0L);
          a.core("server.address", "redis.shop.svc");
          a.core("server.port", 6379L);
          a.optional("network.peer.address", remoteAddress);
          a.optional("network.peer.port", 6379L);
          a.optional("peer.service", "redis");
          a.optional("app.cache.hit", random.nextDouble() < 0.8);
          a.optional("network.transport", "tcp");
          break;
        }
        case SEARCH_INDEX: {
          String index = n.step.target();
          scope = "io.opentelemetry.elasticsearch-rest-7.0";
          name = "search";
          remoteService = "elasticsearch";
          remoteAddress = "10.43.201.9";
          remotePort = 9200;
          a.core("db.system", "elasticsearch");
          a.core("db.operation", "search");
          a.core("db.elasticsearch.path_parts.index", index);
          a.core("db.statement", "{\"query\":{\"multi_match\":{\"query\":\"?\",\"fields\":[\"name\",\"description\"]}},\"size\":24}");
          a.core("http.request.method", "POST");
          a.core("url.full", "http://elasticsearch.shop.svc:9200/" + index + "/_search");
          a.optional("server.address", "elasticsearch.shop.svc");
          a.optional("server.port", 9200L);
          a.optional("http.response.status_code", n.error ? 500L : 200L);
          a.optional("peer.service", "elasticsearch");
          a.optional("network.peer.address", remoteAddress);
          a.optional("network.peer.port", 9200L);
          break;
        }
        case EXTERNAL: {
          String host = n.step.target();
          String[] methodPath = n.step.operation().split(" ", 2);
          scope = "io.opentelemetry.java-http-client";
          name = methodPath[0];
          remoteService = host;
          remoteAddress = "198.51.100." + (host.length() * 3 % 250);
          remotePort = 443;
          a.core("http.request.method", methodPath[0]);
          a.core("url.full", "https://" + host + concretePath(methodPath[1]));
          a.core("server.address", host);
          a.core("server.port", 443L);
          a.core("http.response.status_code", n.error ? 503L : methodPath[0].equals("POST") ? 201L : 200L);
          a.core("peer.service", host);
          a.optional("network.protocol.version", "2");
          a.optional("url.scheme", "https");
          a.optional("http.request.resend_count", random.nextDouble() < 0.05 ? 1L : 0L);
          a.optional("network.peer.address", remoteAddress);
          a.optional("enduser.id", ctx.userId);
          break;
        }
        default:
          throw new AssertionError(n.stepType);
      }
    }

    List<LoadEvent> events = new ArrayList<>(1);
    String statusMessage = null;
    if (n.errorOrigin) {
      String[] typeAndMessage = ERRORS[random.nextInt(ERRORS.length)].split("\\|", 2);
      statusMessage = typeAndMessage[1];
      Map<String, Object> ev = new LinkedHashMap<>();
      ev.put("exception.type", typeAndMessage[0]);
      ev.put("exception.message", typeAndMessage[1]);
      ev.put("exception.stacktrace", typeAndMessage[0] + ": " + typeAndMessage[1]
          + "\n\tat dev.shop." + service.replace("-", "") + "." + className(service) + ".handle("
          + className(service) + ".java:" + (50 + random.nextInt(300)) + ")"
          + "\n\tat com.linecorp.armeria.server.HttpServerHandler.serve(HttpServerHandler.java:412)");
      events.add(new LoadEvent("exception", between(n.start, n.end, 0.9), ev));
      a.error(typeAndMessage[0]);
    } else if (n.error) {
      String failed = null;
      for (Node child : n.children) {
        if (child.error) failed = child.kind == Kind.SERVER ? child.instance.service() : child.name();
      }
      statusMessage = "call to " + failed + " failed";
      a.error(ep.transport() == Transport.GRPC && n.stepType == StepType.CALL ? "INTERNAL" : "500");
    } else if (random.nextDouble() < 0.08) {
      Map<String, Object> ev = new LinkedHashMap<>();
      String eventName;
      switch (n.kind) {
        case SERVER:
          eventName = "request.validated";
          ev.put("app.validation.rules", 3L + random.nextInt(10));
          break;
        case CLIENT:
          eventName = n.stepType == StepType.CACHE ? "cache.miss" : "connection.acquired";
          ev.put("app.pool.waiting", (long) random.nextInt(4));
          break;
        default:
          eventName = "checkpoint";
          ev.put("app.items.processed", 1L + random.nextInt(20));
          break;
      }
      events.add(new LoadEvent(eventName, between(n.start, n.end, random.nextDouble()), ev));
    }
    return new LoadSpan(ctx.traceId, n.spanId, n.parent == null ? 0 : n.parent.spanId, n.instance,
        scope, name, n.kind, n.start, n.end, a.build(random), List.copyOf(events),
        n.error, statusMessage, remoteService, remoteAddress, remotePort);
  }

  private void grpcAttributes(Attributes a, Endpoint ep, Node n, String host) {
    String[] serviceAndMethod = ep.route().split("/", 2);
    a.core("rpc.system", "grpc");
    a.core("rpc.service", serviceAndMethod[0]);
    a.core("rpc.method", serviceAndMethod[1]);
    a.core("rpc.grpc.status_code", n.error ? 13L : 0L);
    a.core("server.address", host + ".shop.svc");
    a.core("server.port", 9090L);
    a.optional("network.transport", "tcp");
    a.optional("rpc.message.uncompressed_size", 40L + random.nextInt(2000));
  }

  private long between(long start, long end, double fraction) {
    return start + (long) ((end - start) * fraction);
  }

  private String concretePath(String route) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < route.length()) {
      int open = route.indexOf('{', i);
      if (open < 0) {
        out.append(route, i, route.length());
        break;
      }
      out.append(route, i, open);
      int close = route.indexOf('}', open);
      String param = route.substring(open + 1, close);
      out.append(param.equals("sku") ? "sku-" + (10_000 + random.nextInt(90_000))
          : String.valueOf(100_000 + random.nextInt(900_000)));
      i = close + 1;
    }
    if (route.equals("/search")) out.append("?q=").append(SEARCH_TERMS[random.nextInt(SEARCH_TERMS.length)]);
    return out.toString();
  }

  private static final String[] SEARCH_TERMS = {
    "shoes", "jacket", "lamp", "coffee", "headphones", "backpack", "desk", "socks"
  };

  private static String statement(String system, String op, String table) {
    if (system.equals("mongodb")) {
      switch (op) {
        case "INSERT":
          return "{\"insert\":\"" + table + "\",\"documents\":[\"?\"]}";
        default:
          return "{\"find\":\"" + table + "\",\"filter\":{\"_id\":\"?\"},\"limit\":1}";
      }
    }
    switch (op) {
      case "SELECT":
        return "SELECT * FROM " + table + " WHERE id = ? LIMIT 50";
      case "INSERT":
        return "INSERT INTO " + table + " (id, created_at, payload) VALUES (?, ?, ?)";
      case "UPDATE":
        return "UPDATE " + table + " SET quantity = quantity - ?, updated_at = ? WHERE id = ?";
      default:
        return op + " " + table;
    }
  }

  private static String className(String service) {
    StringBuilder out = new StringBuilder();
    boolean upper = true;
    for (char c : service.toCharArray()) {
      if (c == '-') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.append("Service").toString();
  }

  private static final class TraceContext {
    final TraceId traceId;
    final String userId;

    TraceContext(TraceId traceId, String userId) {
      this.traceId = traceId;
      this.userId = userId;
    }
  }

  /** A span while the trace is being shaped. */
  private static final class Node {
    final Node parent;
    final Kind kind;
    final StepType stepType;
    final Endpoint endpoint;
    final Step step;
    final ServiceInstance instance;
    final List<Node> children = new ArrayList<>(4);
    long spanId;
    long start;
    long end;
    boolean error;
    boolean errorOrigin;

    Node(Node parent, Kind kind, StepType stepType, Endpoint endpoint, Step step,
        ServiceInstance instance) {
      this.parent = parent;
      this.kind = kind;
      this.stepType = stepType;
      this.endpoint = endpoint;
      this.step = step;
      this.instance = instance;
      if (parent != null) parent.children.add(this);
    }

    String name() {
      return step == null ? endpoint.spanName() : step.target();
    }
  }

  /** Core attributes always present, optional ones picked to reach 6 to 10 in all. */
  private static final class Attributes {
    private final Map<String, Object> core = new LinkedHashMap<>();
    private final List<Map.Entry<String, Object>> optional = new ArrayList<>();
    private String errorType;

    void core(String key, Object value) {
      core.put(key, value);
    }

    void optional(String key, Object value) {
      optional.add(Map.entry(key, value));
    }

    void error(String type) {
      errorType = type;
    }

    Map<String, Object> build(SplittableRandom random) {
      int want = MIN_ATTRIBUTES + random.nextInt(MAX_ATTRIBUTES - MIN_ATTRIBUTES + 1);
      if (errorType != null) want = Math.min(want, MAX_ATTRIBUTES - 1);
      for (int i = optional.size() - 1; i > 0; i--) { // Fisher-Yates with the seeded random
        int j = random.nextInt(i + 1);
        Map.Entry<String, Object> t = optional.get(i);
        optional.set(i, optional.get(j));
        optional.set(j, t);
      }
      Map<String, Object> out = new LinkedHashMap<>(core);
      for (Map.Entry<String, Object> e : optional) {
        if (out.size() >= want) break;
        out.putIfAbsent(e.getKey(), e.getValue());
      }
      if (errorType != null) out.put("error.type", errorType);
      if (out.size() < MIN_ATTRIBUTES || out.size() > MAX_ATTRIBUTES) {
        throw new AssertionError("attribute count " + out.size() + ": " + out.keySet());
      }
      return Collections.unmodifiableMap(out);
    }
  }
}
