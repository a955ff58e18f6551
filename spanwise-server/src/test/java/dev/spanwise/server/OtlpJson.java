package dev.spanwise.server;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/** Builds OTLP/JSON request bodies as curl users would write them. */
final class OtlpJson {
  static String randomHex(int chars) {
    StringBuilder sb = new StringBuilder(chars);
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = 0; i < chars; i++) sb.append(Character.forDigit(r.nextInt(16), 16));
    sb.setCharAt(0, 'a'); // never all zero, and a 32-digit id stays 32 digits when printed
    return sb.toString();
  }

  /** A trace of one SERVER root and {@code children} CLIENT children, in service {@code service}. */
  static byte[] trace(String service, String traceId, int children) {
    return trace(service, traceId, children, System.currentTimeMillis() * 1_000_000L);
  }

  /** The same, starting at {@code now} (Unix nanoseconds). */
  static byte[] trace(String service, String traceId, int children, long now) {
    String root = randomHex(16);
    StringBuilder spans = new StringBuilder();
    spans.append(span(traceId, root, "", "GET /checkout", 2, now, now + 50_000_000L,
        "{\"key\":\"http.request.method\",\"value\":{\"stringValue\":\"GET\"}}", 0));
    for (int i = 0; i < children; i++) {
      spans.append(',').append(span(traceId, randomHex(16), root, "charge-" + i, 3,
          now + (i + 1) * 1_000_000L, now + (i + 2) * 1_000_000L,
          "{\"key\":\"attempt\",\"value\":{\"intValue\":\"" + i + "\"}}", i == 0 ? 2 : 0));
    }
    String json = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
        + "\"value\":{\"stringValue\":\"" + service + "\"}}]},\"scopeSpans\":[{\"scope\":"
        + "{\"name\":\"it\"},\"spans\":[" + spans + "]}]}]}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static String span(String traceId, String spanId, String parent, String name, int kind,
      long start, long end, String attribute, int statusCode) {
    return "{\"traceId\":\"" + traceId + "\",\"spanId\":\"" + spanId + "\","
        + (parent.isEmpty() ? "" : "\"parentSpanId\":\"" + parent + "\",")
        + "\"name\":\"" + name + "\",\"kind\":" + kind + ","
        + "\"startTimeUnixNano\":\"" + start + "\",\"endTimeUnixNano\":\"" + end + "\","
        + "\"attributes\":[" + attribute + "],"
        + "\"events\":[{\"timeUnixNano\":\"" + start + "\",\"name\":\"started\"}],"
        + "\"status\":{\"code\":" + statusCode + "}}";
  }

  private OtlpJson() {}
}
