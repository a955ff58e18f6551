package dev.spanwise.codec.zipkin;

import dev.spanwise.model.TraceId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Zipkin v2 span as read from JSON or proto3, before it is mapped to the model. */
final class ZipkinSpanData {
  TraceId traceId;
  long id;
  boolean idPresent;
  long parentId;
  String kind;
  String name = "";
  long timestamp;
  long duration;
  Endpoint localEndpoint;
  Endpoint remoteEndpoint;
  final List<Annotation> annotations = new ArrayList<>(0);
  final Map<String, String> tags = new LinkedHashMap<>();
  boolean debug;
  boolean shared;

  static final class Endpoint {
    String serviceName;
    String ipv4;
    String ipv6;
    int port;
  }

  static final class Annotation {
    final long timestamp;
    final String value;

    Annotation(long timestamp, String value) {
      this.timestamp = timestamp;
      this.value = value;
    }
  }
}
