package dev.spanwise.examples.shop;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts the six shop services (each its own HTTP server and {@code service.name}) and drives
 * traffic at {@code --rate} purchases per second for {@code --duration} seconds (0: until
 * stopped). Spans go to {@code OTEL_EXPORTER_OTLP_ENDPOINT} (default http://localhost:4318).
 */
public final class ShopDemo {
  private ShopDemo() {}

  public static void main(String[] args) throws Exception {
    double rate = 2.0;
    long durationSeconds = 60;
    Shop.Settings settings = new Shop.Settings();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (arg) {
        case "--rate":
          rate = parse("--rate", value);
          i++;
          break;
        case "--duration":
          durationSeconds = (long) parse("--duration", value);
          i++;
          break;
        case "--payment-error-rate":
          settings.paymentErrorRate = parse("--payment-error-rate", value);
          i++;
          break;
        case "--slow-share":
          settings.slowShare = parse("--slow-share", value);
          i++;
          break;
        default:
          throw new IllegalArgumentException("unknown flag " + arg
              + " (flags: --rate N, --duration SECONDS, --payment-error-rate R, --slow-share R)");
      }
    }
    if (!(rate > 0)) {
      throw new IllegalArgumentException("--rate must be > 0, was " + rate);
    }
    Map<String, String> env = new HashMap<>(System.getenv());
    try (Shop shop = new Shop(env, settings)) {
      System.out.println("shop frontend: " + shop.frontend.url("/buy") + "?customer=alice&product=p1");
      drive(shop, rate, durationSeconds);
    }
  }

  private static double parse(String flag, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NullPointerException | NumberFormatException e) {
      throw new IllegalArgumentException(flag + " needs a number, was " + value);
    }
  }

  /** Sends purchases at {@code rate} per second; returns how many failed. */
  static int drive(Shop shop, double rate, long durationSeconds) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    long intervalNanos = (long) (1e9 / rate);
    long end = durationSeconds <= 0 ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.SECONDS.toNanos(durationSeconds);
    long next = System.nanoTime();
    while (System.nanoTime() < end) {
      String url = shop.randomBuyUrls(1).get(0);
      pool.execute(() -> {
        try {
          HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() >= 400) {
            failed.incrementAndGet();
          }
        } catch (Exception e) {
          failed.incrementAndGet();
        }
        int n = sent.incrementAndGet();
        if (n % 50 == 0) {
          System.out.println(n + " purchases, " + failed.get() + " failed");
        }
      });
      next += intervalNanos;
      long sleep = next - System.nanoTime();
      if (sleep > 0) {
        TimeUnit.NANOSECONDS.sleep(sleep);
      }
    }
    pool.shutdown();
    pool.awaitTermination(60, TimeUnit.SECONDS);
    System.out.println(sent.get() + " purchases, " + failed.get() + " failed");
    return failed.get();
  }
}
