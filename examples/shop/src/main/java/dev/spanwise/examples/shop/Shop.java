package dev.spanwise.examples.shop;

import dev.spanwise.tracer.Attributes;
import dev.spanwise.tracer.Span;
import dev.spanwise.tracer.StatusCode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.sql.DataSource;

/**
 * The six services of the shop, in the spirit of Jaeger's HotROD:
 *
 * <pre>
 * frontend  GET /buy?customer&amp;product
 *   -> auth       GET  /auth?customer           (rejects a few customers)
 *   -> product    GET  /product?id              (H2: SELECT product)
 *   -> inventory  GET  /stock?product           (H2: SELECT stock; the planted bottleneck:
 *                                                 a slow lock wait in a small share of requests)
 *   -> order      POST /order?customer&amp;product&amp;price
 *        -> payment   POST /charge?customer&amp;amount  (random gateway errors)
 *        -> inventory POST /reserve?product     (H2: UPDATE stock)
 *        (H2: INSERT orders)
 * </pre>
 */
final class Shop implements AutoCloseable {
  /** Knobs of the demo: error rates and the bottleneck. */
  static final class Settings {
    double paymentErrorRate = 0.05;
    double authRejectRate = 0.02;
    double slowShare = 0.05;
    Duration slowDelay = Duration.ofMillis(800);
    long seed = System.nanoTime();
  }

  static final String[] PRODUCTS = {"p1", "p2", "p3", "p4", "p5", "p6"};
  static final String[] CUSTOMERS = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};

  final ShopService frontend;
  final ShopService auth;
  final ShopService product;
  final ShopService inventory;
  final ShopService order;
  final ShopService payment;
  private final Settings settings;
  private final Random random;

  Shop(Map<String, String> env, Settings settings) throws IOException, SQLException {
    this.settings = settings;
    this.random = new Random(settings.seed);
    frontend = new ShopService("frontend", env);
    auth = new ShopService("auth", env);
    product = new ShopService("product", env);
    inventory = new ShopService("inventory", env);
    order = new ShopService("order", env);
    payment = new ShopService("payment", env);
    seedDatabases();
    routes();
    for (ShopService s : services()) {
      s.start();
    }
  }

  List<ShopService> services() {
    return List.of(frontend, auth, product, inventory, order, payment);
  }

  private synchronized double roll() {
    return random.nextDouble();
  }

  private static void sleep(long millis) throws InterruptedException {
    Thread.sleep(millis);
  }

  private void seedDatabases() throws SQLException {
    try (Connection c = product.untracedDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE product (id VARCHAR PRIMARY KEY, name VARCHAR, price_cents INT)");
      for (int i = 0; i < PRODUCTS.length; i++) {
        s.executeUpdate("INSERT INTO product VALUES ('" + PRODUCTS[i] + "', 'Product " + (i + 1) + "', "
            + (999 + 500 * i) + ")");
      }
    }
    try (Connection c = inventory.untracedDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE stock (product_id VARCHAR PRIMARY KEY, quantity INT)");
      s.execute("CREATE ALIAS LOCK_WAIT FOR \"" + InventoryLocks.class.getName() + ".lockWait\"");
      for (String p : PRODUCTS) {
        s.executeUpdate("INSERT INTO stock VALUES ('" + p + "', 1000000)");
      }
    }
    try (Connection c = order.untracedDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id IDENTITY PRIMARY KEY, customer VARCHAR, product_id VARCHAR, amount_cents INT)");
    }
  }

  private void routes() {
    auth.route("/auth", q -> {
      String customer = ShopService.required(q, "customer");
      sleep(5 + (long) (roll() * 20));
      if (roll() < settings.authRejectRate) {
        Span.current().addEvent("customer rejected", Attributes.of("customer", customer));
        return new ShopService.Reply(403, "customer " + customer + " is blocked");
      }
      Span.current().addEvent("authenticated", Attributes.of("customer", customer));
      return ShopService.Reply.ok("ok");
    });

    product.route("/product", q -> {
      String id = ShopService.required(q, "id");
      try (Connection c = product.database().getConnection();
           PreparedStatement ps = c.prepareStatement("SELECT name, price_cents FROM product WHERE id = ?")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return new ShopService.Reply(404, "no product " + id);
          }
          Span.current().addEvent("product details fetched");
          return ShopService.Reply.ok(rs.getString(1) + "," + rs.getInt(2));
        }
      }
    });

    inventory.route("/stock", q -> {
      String id = ShopService.required(q, "product");
      DataSource db = inventory.database();
      try (Connection c = db.getConnection()) {
        if (roll() < settings.slowShare) {
          Span.current().addEvent("waiting for stock row lock");
          try (PreparedStatement wait = c.prepareStatement("SELECT LOCK_WAIT(?)")) {
            wait.setInt(1, (int) settings.slowDelay.toMillis());
            wait.executeQuery().close();
          }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT quantity FROM stock WHERE product_id = ?")) {
          ps.setString(1, id);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? ShopService.Reply.ok(String.valueOf(rs.getInt(1)))
                : new ShopService.Reply(404, "no stock for " + id);
          }
        }
      }
    });

    inventory.route("/reserve", q -> {
      String id = ShopService.required(q, "product");
      try (Connection c = inventory.database().getConnection();
           PreparedStatement ps = c.prepareStatement(
               "UPDATE stock SET quantity = quantity - 1 WHERE product_id = ? AND quantity > 0")) {
        ps.setString(1, id);
        return ps.executeUpdate() == 1 ? ShopService.Reply.ok("reserved")
            : new ShopService.Reply(409, "out of stock: " + id);
      }
    });

    payment.route("/charge", q -> {
      String customer = ShopService.required(q, "customer");
      String amount = ShopService.required(q, "amount");
      sleep(20 + (long) (roll() * 40));
      Span span = Span.current();
      span.setAttribute("payment.amount_cents", Long.parseLong(amount));
      if (roll() < settings.paymentErrorRate) {
        span.addEvent("card declined by gateway", Attributes.of("customer", customer));
        span.setStatus(StatusCode.ERROR, "payment gateway error");
        return new ShopService.Reply(502, "payment gateway error");
      }
      span.addEvent("payment captured");
      return ShopService.Reply.ok("charged " + amount);
    });

    order.route("/order", q -> {
      String customer = ShopService.required(q, "customer");
      String productId = ShopService.required(q, "product");
      String price = ShopService.required(q, "price");
      Map<String, String> charge = new LinkedHashMap<>();
      charge.put("customer", customer);
      charge.put("amount", price);
      order.call("POST", payment, "/charge", charge);
      order.call("POST", inventory, "/reserve", Map.of("product", productId));
      try (Connection c = order.database().getConnection();
           PreparedStatement ps = c.prepareStatement(
               "INSERT INTO orders (customer, product_id, amount_cents) VALUES (?, ?, ?)")) {
        ps.setString(1, customer);
        ps.setString(2, productId);
        ps.setInt(3, Integer.parseInt(price));
        ps.executeUpdate();
      }
      Span.current().addEvent("order placed");
      return ShopService.Reply.ok("order placed");
    });

    frontend.route("/buy", q -> {
      String customer = ShopService.required(q, "customer");
      String productId = ShopService.required(q, "product");
      Span span = Span.current();
      span.setAttribute("shop.customer", customer);
      span.setAttribute("shop.product", productId);
      frontend.call("GET", auth, "/auth", Map.of("customer", customer));
      String details = frontend.call("GET", product, "/product", Map.of("id", productId));
      String price = details.substring(details.lastIndexOf(',') + 1);
      frontend.call("GET", inventory, "/stock", Map.of("product", productId));
      Map<String, String> params = new LinkedHashMap<>();
      params.put("customer", customer);
      params.put("product", productId);
      params.put("price", price);
      frontend.call("POST", order, "/order", params);
      return ShopService.Reply.ok("bought " + productId + " for " + customer);
    });
  }

  /** The URL the traffic driver calls. */
  String buyUrl(String customer, String productId) {
    return frontend.url("/buy") + "?customer=" + customer + "&product=" + productId;
  }

  List<String> randomBuyUrls(int n) {
    List<String> urls = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      urls.add(buyUrl(CUSTOMERS[(int) (roll() * CUSTOMERS.length)], PRODUCTS[(int) (roll() * PRODUCTS.length)]));
    }
    return urls;
  }

  @Override
  public void close() {
    for (ShopService s : services()) {
      s.close();
    }
  }
}
