package dev.spanwise.tracer.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.URL;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.GZIPOutputStream;

/**
 * Sends spans as OTLP/HTTP protobuf ({@code POST /v1/traces}, {@code application/x-protobuf}),
 * optionally gzip-compressed. Retries on 429, 502, 503, 504 and on connection failures with
 * exponential backoff and jitter, honouring {@code Retry-After}, within the export timeout; other
 * statuses fail at once. Uses only the JDK.
 */
public final class OtlpHttpSpanExporter implements SpanExporter {
  private static final Logger LOG = Logger.getLogger(OtlpHttpSpanExporter.class.getName());

  private final URL endpoint;
  private final Map<String, String> headers;
  private final boolean gzip;
  private final Duration timeout;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final int maxAttempts;
  private final OtlpProtoEncoder encoder = new OtlpProtoEncoder();
  private final AtomicLong failedExports = new AtomicLong();
  private volatile boolean shutdown;

  private OtlpHttpSpanExporter(Builder b) {
    this.endpoint = b.endpoint;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
    this.gzip = b.gzip;
    this.timeout = b.timeout;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.maxAttempts = b.maxAttempts;
  }

  public static Builder builder() {
    return new Builder();
  }

  public URL endpoint() {
    return endpoint;
  }

  public boolean isGzip() {
    return gzip;
  }

  public Duration timeout() {
    return timeout;
  }

  public Map<String, String> headers() {
    return headers;
  }

  /** Export calls that ended in failure. */
  public long failedExports() {
    return failedExports.get();
  }

  @Override
  public ExportResult export(Collection<SpanData> spans) {
    if (shutdown) {
      return ExportResult.FAILURE;
    }
    if (spans.isEmpty()) {
      return ExportResult.SUCCESS;
    }
    byte[] body;
    try {
      body = encoder.encode(spans);
      if (gzip) {
        body = gzip(body);
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "could not encode " + spans.size() + " spans", e);
      failedExports.incrementAndGet();
      return ExportResult.FAILURE;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    long backoffNanos = initialBackoff.toNanos();
    for (int attempt = 1; ; attempt++) {
      long retryAfterNanos = -1;
      String failure;
      try {
        Response response = post(body, deadline);
        if (response.status >= 200 && response.status < 300) {
          return ExportResult.SUCCESS;
        }
        failure = "HTTP " + response.status + " from " + endpoint + ": " + response.message;
        if (!isRetryable(response.status)) {
          LOG.log(Level.WARNING, "export of {0} spans failed, not retrying: {1}",
              new Object[] {spans.size(), failure});
          failedExports.incrementAndGet();
          return ExportResult.FAILURE;
        }
        retryAfterNanos = parseRetryAfter(response.retryAfter);
      } catch (IOException e) {
        failure = e.toString();
      }
      long sleep = retryAfterNanos >= 0 ? retryAfterNanos
          : ThreadLocalRandom.current().nextLong(backoffNanos / 2, backoffNanos + 1);
      if (attempt >= maxAttempts || shutdown || System.nanoTime() + sleep >= deadline) {
        LOG.log(Level.WARNING, "export of {0} spans failed after {1} attempt(s): {2}",
            new Object[] {spans.size(), attempt, failure});
        failedExports.incrementAndGet();
        return ExportResult.FAILURE;
      }
      LOG.log(Level.FINE, "export attempt {0} failed ({1}); retrying", new Object[] {attempt, failure});
      try {
        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failedExports.incrementAndGet();
        return ExportResult.FAILURE;
      }
      backoffNanos = Math.min(maxBackoff.toNanos(), (long) (backoffNanos * 1.5));
    }
  }

  static boolean isRetryable(int status) {
    return status == 429 || status == 502 || status == 503 || status == 504;
  }

  /** Nanoseconds to wait for a {@code Retry-After} value (seconds or HTTP date), or -1. */
  static long parseRetryAfter(String value) {
    if (value == null || value.trim().isEmpty()) {
      return -1;
    }
    String v = value.trim();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0 ? -1 : Duration.ofSeconds(seconds).toNanos();
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        long millis = at.toInstant().toEpochMilli() - System.currentTimeMillis();
        return Math.max(0, millis) * 1_000_000L;
      } catch (RuntimeException e2) {
        return -1;
      }
    }
  }

  private static final class Response {
    final int status;
    final String message;
    final String retryAfter;

    Response(int status, String message, String retryAfter) {
      this.status = status;
      this.message = message;
      this.retryAfter = retryAfter;
    }
  }

  private Response post(byte[] body, long deadline) throws IOException {
    long remainingMillis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
    int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, remainingMillis);
    HttpURLConnection connection = (HttpURLConnection) endpoint.openConnection();
    try {
      connection.setConnectTimeout(timeoutMillis);
      connection.setReadTimeout(timeoutMillis);
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setFixedLengthStreamingMode(body.length);
      connection.setRequestProperty("Content-Type", "application/x-protobuf");
      if (gzip) {
        connection.setRequestProperty("Content-Encoding", "gzip");
      }
      connection.setRequestProperty("User-Agent", "spanwise-tracer/" + dev.spanwise.tracer.Resource.SDK_VERSION);
      for (Map.Entry<String, String> header : headers.entrySet()) {
        connection.setRequestProperty(header.getKey(), header.getValue());
      }
      try (OutputStream os = connection.getOutputStream()) {
        os.write(body);
      }
      int status = connection.getResponseCode();
      String message = readQuietly(status >= 400 ? connection.getErrorStream() : connection.getInputStream());
      return new Response(status, message, connection.getHeaderField("Retry-After"));
    } finally {
      connection.disconnect();
    }
  }

  private static String readQuietly(InputStream in) {
    if (in == null) {
      return "";
    }
    try (InputStream is = in) {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      byte[] chunk = new byte[1024];
      int n;
      while ((n = is.read(chunk)) > 0 && buffer.size() < 4096) {
        buffer.write(chunk, 0, n);
      }
      String text = new String(buffer.toByteArray(), java.nio.charset.StandardCharsets.UTF_8);
      return text.length() > 200 ? text.substring(0, 200) : text;
    } catch (IOException e) {
      return "";
    }
  }

  static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 2 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(body);
    }
    return out.toByteArray();
  }

  @Override
  public void shutdown(Duration timeout) {
    shutdown = true;
  }

  @Override
  public String toString() {
    return "OtlpHttpSpanExporter{" + endpoint + (gzip ? ", gzip" : "") + "}";
  }

  /** Builds an {@link OtlpHttpSpanExporter}; defaults as the OTLP exporter specification. */
  public static final class Builder {
    private URL endpoint;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private boolean gzip;
    private Duration timeout = Duration.ofSeconds(10);
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private int maxAttempts = 5;

    private Builder() {
      endpoint("http://localhost:4318/v1/traces");
    }

    /** The full URL spans are posted to, e.g. {@code http://localhost:4318/v1/traces}. */
    public Builder endpoint(String url) {
      if (url == null) {
        throw new IllegalArgumentException("endpoint must not be null");
      }
      try {
        URL parsed = new URL(url);
        if (!parsed.getProtocol().equals("http") && !parsed.getProtocol().equals("https")) {
          throw new IllegalArgumentException("endpoint must be http or https, was " + url);
        }
        this.endpoint = parsed;
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException("endpoint is not a valid URL: " + url, e);
      }
      return this;
    }

    public Builder addHeader(String name, String value) {
      if (name == null || name.isEmpty() || value == null) {
        throw new IllegalArgumentException("header name and value must not be empty");
      }
      headers.put(name, value);
      return this;
    }

    /** {@code gzip} or {@code none}. */
    public Builder compression(String compression) {
      if ("gzip".equals(compression)) {
        gzip = true;
      } else if ("none".equals(compression)) {
        gzip = false;
      } else {
        throw new IllegalArgumentException("compression must be gzip or none, was " + compression);
      }
      return this;
    }

    /** Overall time for one export including retries. */
    public Builder timeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** Backoff before the first retry (then times 1.5 up to {@code max}). */
    public Builder retryBackoff(Duration initial, Duration max) {
      if (initial == null || initial.isNegative() || max == null || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("retryBackoff needs 0 <= initial <= max");
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /** Attempts per export including the first (1 disables retry). */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1, was " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    public OtlpHttpSpanExporter build() {
      return new OtlpHttpSpanExporter(this);
    }
  }
}
