package dev.spanwise.benchmarks.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The call graph of the e-commerce shop the workload imitates: which endpoints each service has
 * and what each endpoint calls (other services over HTTP or gRPC, databases, caches, external
 * APIs, in-process work).
 */
final class ShopTopology {

  enum Transport { HTTP, GRPC }

  enum StepType { CALL, DB, CACHE, SEARCH_INDEX, EXTERNAL, INTERNAL }

  /**
   * One thing an endpoint does while serving a request.
   *
   * @param target for CALL the called endpoint key ({@code service op}); for DB/CACHE the table or
   *     key prefix; for EXTERNAL the host; for INTERNAL the function name
   * @param probability chance the step happens on a given request
   */
  record Step(StepType type, String target, String operation, double probability) {}

  /** An operation served by a service. */
  record Endpoint(String service, Transport transport, String method, String route,
      List<Step> steps) {

    String key() {
      return service + " " + method + " " + route;
    }

    /** The span name of the SERVER span: "GET /products/{id}" or "shop.Pricing/GetPrice". */
    String spanName() {
      return transport == Transport.HTTP ? method + " " + route : route;
    }
  }

  static final List<String> SERVICES = List.of("frontend", "api-gateway", "auth", "cart", "catalog",
      "search", "inventory", "pricing", "payment", "order", "shipping", "notification");

  /** Entry points of user requests, with their relative weights. */
  static final Map<String, Integer> ROOTS = new LinkedHashMap<>();

  static final Map<String, Endpoint> ENDPOINTS = new LinkedHashMap<>();

  static {
    root("GET", "/", 20, call("api-gateway GET /api/recommendations"),
        call("api-gateway GET /api/products"), internal("renderHomePage"));
    root("GET", "/product/{id}", 30, call("api-gateway GET /api/products/{id}"),
        internal("renderProductPage"));
    root("GET", "/search", 20, call("api-gateway GET /api/search"), internal("renderResults"));
    root("POST", "/cart", 12, call("api-gateway POST /api/cart/items"));
    root("POST", "/checkout", 8, call("api-gateway POST /api/checkout"),
        internal("renderConfirmation"));
    root("GET", "/orders/{id}", 5, call("api-gateway GET /api/orders/{id}"));
    root("POST", "/login", 5, call("api-gateway POST /api/login"));

    Step verify = call("auth POST /auth/verify");
    http("api-gateway", "GET", "/api/recommendations", verify,
        call("catalog GET /products/featured"));
    http("api-gateway", "GET", "/api/products", verify, call("catalog GET /products"));
    http("api-gateway", "GET", "/api/products/{id}", verify, call("catalog GET /products/{id}"),
        call("pricing GRPC shop.pricing.PricingService/GetPrice"),
        call("inventory GET /stock/{sku}"));
    http("api-gateway", "GET", "/api/search", verify, call("search GET /search"));
    http("api-gateway", "POST", "/api/cart/items", verify, call("cart POST /cart/items"));
    http("api-gateway", "POST", "/api/checkout", verify, call("order POST /orders"));
    http("api-gateway", "GET", "/api/orders/{id}", verify, call("order GET /orders/{id}"));
    http("api-gateway", "POST", "/api/login", call("auth POST /auth/login"));

    http("auth", "POST", "/auth/verify", cache("GET", "session"),
        new Step(StepType.DB, "users", "SELECT", 0.2));
    http("auth", "POST", "/auth/login", db("SELECT", "users"), internal("verifyPasswordHash"),
        cache("SET", "session"), db("UPDATE", "users"));

    http("catalog", "GET", "/products", cache("GET", "products:page"), db("SELECT", "products"),
        internal("applyMerchandisingRules"));
    http("catalog", "GET", "/products/{id}", cache("GET", "product"), db("SELECT", "products"),
        new Step(StepType.DB, "reviews", "SELECT", 0.7));
    http("catalog", "GET", "/products/featured", cache("GET", "featured"),
        new Step(StepType.DB, "products", "SELECT", 0.3));

    http("search", "GET", "/search", internal("parseQuery"), index("products"),
        call("pricing GRPC shop.pricing.PricingService/GetPrices"),
        new Step(StepType.CALL, "inventory GET /stock/{sku}", null, 0.5));

    http("inventory", "GET", "/stock/{sku}", cache("GET", "stock"), db("SELECT", "stock"));
    http("inventory", "POST", "/stock/reservations", db("SELECT", "stock"),
        db("UPDATE", "stock"), db("INSERT", "reservations"));

    grpc("pricing", "shop.pricing.PricingService/GetPrice", cache("GET", "price"),
        db("SELECT", "prices"));
    grpc("pricing", "shop.pricing.PricingService/GetPrices", cache("MGET", "price"),
        db("SELECT", "prices"), internal("applyPromotions"));

    http("cart", "POST", "/cart/items", cache("GET", "cart"), call("catalog GET /products/{id}"),
        call("inventory GET /stock/{sku}"), cache("SET", "cart"));
    http("cart", "GET", "/cart", cache("GET", "cart"), db("SELECT", "carts"));

    http("order", "POST", "/orders", call("cart GET /cart"),
        call("pricing GRPC shop.pricing.PricingService/GetPrices"),
        call("inventory POST /stock/reservations"),
        call("payment GRPC shop.payment.PaymentService/Charge"), db("INSERT", "orders"),
        db("INSERT", "order_items"), call("shipping POST /shipments"),
        call("notification POST /notifications"));
    http("order", "GET", "/orders/{id}", db("SELECT", "orders"), db("SELECT", "order_items"),
        call("shipping GET /shipments/{id}"));

    grpc("payment", "shop.payment.PaymentService/Charge", internal("scoreFraudRisk"),
        db("SELECT", "payment_methods"), external("api.stripe.com", "POST", "/v1/payment_intents"),
        db("INSERT", "payments"));

    http("shipping", "POST", "/shipments", internal("chooseCarrier"),
        external("api.carrier-express.com", "POST", "/v2/labels"), db("INSERT", "shipments"));
    http("shipping", "GET", "/shipments/{id}", db("SELECT", "shipments"),
        new Step(StepType.EXTERNAL, "api.carrier-express.com", "GET /v2/tracking/{id}", 0.4));

    http("notification", "POST", "/notifications", internal("renderEmailTemplate"),
        external("api.mailer.example", "POST", "/v3/mail/send"), db("INSERT", "notifications"));
  }

  private ShopTopology() {}

  private static void root(String method, String route, int weight, Step... steps) {
    Endpoint e = new Endpoint("frontend", Transport.HTTP, method, route, List.of(steps));
    ENDPOINTS.put(e.key(), e);
    ROOTS.put(e.key(), weight);
  }

  private static void http(String service, String method, String route, Step... steps) {
    Endpoint e = new Endpoint(service, Transport.HTTP, method, route, List.of(steps));
    ENDPOINTS.put(e.key(), e);
  }

  private static void grpc(String service, String fullMethod, Step... steps) {
    Endpoint e = new Endpoint(service, Transport.GRPC, "GRPC", fullMethod, List.of(steps));
    ENDPOINTS.put(e.key(), e);
  }

  private static Step call(String endpointKey) {
    return new Step(StepType.CALL, endpointKey, null, 1.0);
  }

  private static Step db(String operation, String table) {
    return new Step(StepType.DB, table, operation, 1.0);
  }

  private static Step cache(String command, String keyPrefix) {
    return new Step(StepType.CACHE, keyPrefix, command, 1.0);
  }

  private static Step index(String index) {
    return new Step(StepType.SEARCH_INDEX, index, "search", 1.0);
  }

  private static Step external(String host, String method, String path) {
    return new Step(StepType.EXTERNAL, host, method + " " + path, 1.0);
  }

  private static Step internal(String function) {
    return new Step(StepType.INTERNAL, function, null, 1.0);
  }

  /** Fails at class load if a CALL names an endpoint that does not exist. */
  static void validate() {
    for (Endpoint e : ENDPOINTS.values()) {
      if (!SERVICES.contains(e.service())) throw new IllegalStateException("unknown " + e.service());
      for (Step s : e.steps()) {
        if (s.type() == StepType.CALL && !ENDPOINTS.containsKey(s.target())) {
          throw new IllegalStateException(e.key() + " calls unknown endpoint " + s.target());
        }
      }
    }
  }
}
