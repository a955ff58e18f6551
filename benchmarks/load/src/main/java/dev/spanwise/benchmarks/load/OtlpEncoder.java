package dev.spanwise.benchmarks.load;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes generated spans as an OTLP {@code ExportTraceServiceRequest} with the generated
 * protobuf classes: one ResourceSpans per service instance, one ScopeSpans per instrumentation
 * scope, in the order the spans came.
 */
final class OtlpEncoder {
  private OtlpEncoder() {}

  static byte[] encode(List<LoadSpan> spans) {
    return toRequest(spans).toByteArray();
  }

  static ExportTraceServiceRequest toRequest(List<LoadSpan> spans) {
    Map<String, ServiceInstance> instances = new LinkedHashMap<>();
    Map<String, Map<String, List<Span>>> byInstanceThenScope = new LinkedHashMap<>();
    for (LoadSpan s : spans) {
      instances.putIfAbsent(s.instance().instanceId(), s.instance());
      byInstanceThenScope
          .computeIfAbsent(s.instance().instanceId(), k -> new LinkedHashMap<>())
          .computeIfAbsent(s.scopeName(), k -> new ArrayList<>())
          .add(toProto(s));
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    for (Map.Entry<String, Map<String, List<Span>>> byInstance : byInstanceThenScope.entrySet()) {
      ServiceInstance instance = instances.get(byInstance.getKey());
      Resource.Builder resource = Resource.newBuilder();
      instance.resourceAttributes().forEach((k, v) -> resource.addAttributes(keyValue(k, v)));
      ResourceSpans.Builder rs = ResourceSpans.newBuilder()
          .setResource(resource)
          .setSchemaUrl("https://opentelemetry.io/schemas/1.26.0");
      for (Map.Entry<String, List<Span>> byScope : byInstance.getValue().entrySet()) {
        rs.addScopeSpans(ScopeSpans.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName(byScope.getKey()).setVersion("2.10.0"))
            .addAllSpans(byScope.getValue()));
      }
      request.addResourceSpans(rs);
    }
    return request.build();
  }

  static Span toProto(LoadSpan s) {
    Span.Builder b = Span.newBuilder()
        .setTraceId(ByteString.copyFrom(s.traceId().toBytes()))
        .setSpanId(ByteString.copyFrom(Bytes.longBytes(s.spanId())))
        .setName(s.name())
        .setKind(kind(s.kind()))
        .setStartTimeUnixNano(s.startEpochNanos())
        .setEndTimeUnixNano(s.endEpochNanos());
    if (!s.isRoot()) b.setParentSpanId(ByteString.copyFrom(Bytes.longBytes(s.parentSpanId())));
    s.attributes().forEach((k, v) -> b.addAttributes(keyValue(k, v)));
    for (LoadSpan.LoadEvent e : s.events()) {
      Span.Event.Builder event = Span.Event.newBuilder()
          .setName(e.name())
          .setTimeUnixNano(e.epochNanos());
      e.attributes().forEach((k, v) -> event.addAttributes(keyValue(k, v)));
      b.addEvents(event);
    }
    if (s.error()) {
      Status.Builder status = Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR);
      if (s.statusMessage() != null) status.setMessage(s.statusMessage());
      b.setStatus(status);
    }
    return b.build();
  }

  private static Span.SpanKind kind(LoadSpan.Kind kind) {
    switch (kind) {
      case SERVER:
        return Span.SpanKind.SPAN_KIND_SERVER;
      case CLIENT:
        return Span.SpanKind.SPAN_KIND_CLIENT;
      default:
        return Span.SpanKind.SPAN_KIND_INTERNAL;
    }
  }

  static KeyValue keyValue(String key, Object value) {
    AnyValue.Builder v = AnyValue.newBuilder();
    if (value instanceof String) {
      v.setStringValue((String) value);
    } else if (value instanceof Long) {
      v.setIntValue((Long) value);
    } else if (value instanceof Double) {
      v.setDoubleValue((Double) value);
    } else if (value instanceof Boolean) {
      v.setBoolValue((Boolean) value);
    } else {
      throw new IllegalArgumentException("attribute " + key + ": unsupported type " + value.getClass());
    }
    return KeyValue.newBuilder().setKey(key).setValue(v).build();
  }
}
