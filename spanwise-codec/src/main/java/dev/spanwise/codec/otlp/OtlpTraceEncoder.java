package dev.spanwise.codec.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.spanwise.codec.internal.OtlpProtoWriter;
import dev.spanwise.codec.internal.SpanGroups;
import dev.spanwise.model.InstrumentationScope;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanEvent;
import dev.spanwise.model.SpanId;
import dev.spanwise.model.SpanLink;
import dev.spanwise.model.StatusCode;
import dev.spanwise.model.TraceId;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes model spans as OTLP trace data, grouping them by resource and then by scope in the order
 * each is first seen. Everything the model holds is written: kind, status, events, links, flags,
 * trace state, dropped counts and typed attribute values.
 */
public final class OtlpTraceEncoder {

  public static ExportTraceServiceRequest encode(List<Span> spans) {
    return ExportTraceServiceRequest.newBuilder().addAllResourceSpans(resourceSpans(spans)).build();
  }

  public static TracesData toTracesData(List<Span> spans) {
    return TracesData.newBuilder().addAllResourceSpans(resourceSpans(spans)).build();
  }

  /**
   * The protobuf bytes of {@link #encode(List)} (the same as those of {@link #toTracesData}),
   * written straight from the model without building generated messages.
   */
  public static byte[] encodeToBytes(List<Span> spans) {
    return new OtlpProtoWriter(spans).toByteArray();
  }

  static List<ResourceSpans> resourceSpans(List<Span> spans) {
    List<SpanGroups.ResourceGroup> groups = SpanGroups.group(spans);
    List<ResourceSpans> out = new ArrayList<>(groups.size());
    for (SpanGroups.ResourceGroup group : groups) {
      Resource resource = group.resource();
      io.opentelemetry.proto.resource.v1.Resource.Builder r =
          io.opentelemetry.proto.resource.v1.Resource.newBuilder()
              .setDroppedAttributesCount(resource.droppedAttributesCount());
      OtlpAttributes.addTo(resource.attributes(), r::addAttributes);
      ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(r);
      for (SpanGroups.ScopeGroup scopeGroup : group.scopes()) {
        InstrumentationScope scope = scopeGroup.scope();
        io.opentelemetry.proto.common.v1.InstrumentationScope.Builder s =
            io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder()
                .setName(scope.name())
                .setVersion(scope.version());
        OtlpAttributes.addTo(scope.attributes(), s::addAttributes);
        ScopeSpans.Builder ss = ScopeSpans.newBuilder().setScope(s);
        for (Span span : scopeGroup.spans()) ss.addSpans(spanToProto(span));
        rs.addScopeSpans(ss);
      }
      out.add(rs.build());
    }
    return out;
  }

  static io.opentelemetry.proto.trace.v1.Span spanToProto(Span span) {
    io.opentelemetry.proto.trace.v1.Span.Builder b = io.opentelemetry.proto.trace.v1.Span.newBuilder()
        .setTraceId(traceId(span.traceId()))
        .setSpanId(spanId(span.spanId()))
        .setTraceState(span.traceState())
        .setName(span.name())
        .setKindValue(span.kind().otlpNumber())
        .setStartTimeUnixNano(span.startEpochNanos())
        .setEndTimeUnixNano(span.endEpochNanos())
        .setFlags(span.flags())
        .setDroppedAttributesCount(span.droppedAttributesCount())
        .setDroppedEventsCount(span.droppedEventsCount())
        .setDroppedLinksCount(span.droppedLinksCount());
    if (!span.isRoot()) b.setParentSpanId(spanId(span.parentSpanId()));
    OtlpAttributes.addTo(span.attributes(), b::addAttributes);
    for (SpanEvent event : span.events()) {
      io.opentelemetry.proto.trace.v1.Span.Event.Builder e =
          io.opentelemetry.proto.trace.v1.Span.Event.newBuilder()
              .setTimeUnixNano(event.epochNanos())
              .setName(event.name())
              .setDroppedAttributesCount(event.droppedAttributesCount());
      OtlpAttributes.addTo(event.attributes(), e::addAttributes);
      b.addEvents(e);
    }
    for (SpanLink link : span.links()) {
      io.opentelemetry.proto.trace.v1.Span.Link.Builder l =
          io.opentelemetry.proto.trace.v1.Span.Link.newBuilder()
              .setTraceId(traceId(link.traceId()))
              .setSpanId(spanId(link.spanId()))
              .setTraceState(link.traceState())
              .setDroppedAttributesCount(link.droppedAttributesCount())
              .setFlags(link.flags());
      OtlpAttributes.addTo(link.attributes(), l::addAttributes);
      b.addLinks(l);
    }
    if (span.status().code() != StatusCode.UNSET || !span.status().message().isEmpty()) {
      b.setStatus(io.opentelemetry.proto.trace.v1.Status.newBuilder()
          .setCodeValue(span.status().code().otlpNumber())
          .setMessage(span.status().message()));
    }
    return b.build();
  }

  static ByteString traceId(TraceId traceId) {
    return UnsafeByteOperations.unsafeWrap(traceId.toBytes());
  }

  static ByteString spanId(long spanId) {
    return UnsafeByteOperations.unsafeWrap(SpanId.toBytes(spanId));
  }

  private OtlpTraceEncoder() {}
}
