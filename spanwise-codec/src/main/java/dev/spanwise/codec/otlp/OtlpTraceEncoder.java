package dev.spanwise.codec.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

  /** The protobuf bytes of {@link #encode(List)} (the same as those of {@link #toTracesData}). */
  public static byte[] encodeToBytes(List<Span> spans) {
    return toTracesData(spans).toByteArray();
  }

  static List<ResourceSpans> resourceSpans(List<Span> spans) {
    List<ResourceGroup> groups = new ArrayList<>();
    Map<Resource, ResourceGroup> byResource = new HashMap<>();
    ResourceGroup lastGroup = null;
    for (int i = 0, n = spans.size(); i < n; i++) {
      Span span = spans.get(i);
      Resource resource = span.resource();
      ResourceGroup group;
      if (lastGroup != null && lastGroup.resource == resource) {
        group = lastGroup; // spans of one batch usually share the resource instance
      } else {
        group = byResource.get(resource);
        if (group == null) {
          group = new ResourceGroup(resource);
          byResource.put(resource, group);
          groups.add(group);
        }
        lastGroup = group;
      }
      group.add(span);
    }
    List<ResourceSpans> out = new ArrayList<>(groups.size());
    for (ResourceGroup group : groups) out.add(group.toProto());
    return out;
  }

  private static final class ResourceGroup {
    final Resource resource;
    final List<ScopeGroup> scopes = new ArrayList<>(2);
    ScopeGroup lastScope;

    ResourceGroup(Resource resource) {
      this.resource = resource;
    }

    void add(Span span) {
      InstrumentationScope scope = span.scope();
      if (lastScope == null || (lastScope.scope != scope && !lastScope.scope.equals(scope))) {
        lastScope = null;
        for (ScopeGroup g : scopes) {
          if (g.scope.equals(scope)) {
            lastScope = g;
            break;
          }
        }
        if (lastScope == null) {
          lastScope = new ScopeGroup(scope);
          scopes.add(lastScope);
        }
      }
      lastScope.spans.add(span);
    }

    ResourceSpans toProto() {
      io.opentelemetry.proto.resource.v1.Resource.Builder r =
          io.opentelemetry.proto.resource.v1.Resource.newBuilder()
              .setDroppedAttributesCount(resource.droppedAttributesCount());
      OtlpAttributes.addTo(resource.attributes(), r::addAttributes);
      ResourceSpans.Builder b = ResourceSpans.newBuilder().setResource(r);
      for (ScopeGroup scope : scopes) b.addScopeSpans(scope.toProto());
      return b.build();
    }
  }

  private static final class ScopeGroup {
    final InstrumentationScope scope;
    final List<Span> spans = new ArrayList<>();

    ScopeGroup(InstrumentationScope scope) {
      this.scope = scope;
    }

    ScopeSpans toProto() {
      io.opentelemetry.proto.common.v1.InstrumentationScope.Builder s =
          io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder()
              .setName(scope.name())
              .setVersion(scope.version());
      OtlpAttributes.addTo(scope.attributes(), s::addAttributes);
      ScopeSpans.Builder b = ScopeSpans.newBuilder().setScope(s);
      for (Span span : spans) b.addSpans(spanToProto(span));
      return b.build();
    }
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
