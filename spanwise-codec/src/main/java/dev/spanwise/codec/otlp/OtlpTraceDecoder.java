package dev.spanwise.codec.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.spanwise.codec.CodecException;
import dev.spanwise.codec.DecodeResult;
import dev.spanwise.model.Attributes;
import dev.spanwise.model.InstrumentationScope;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanEvent;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.SpanLink;
import dev.spanwise.model.Status;
import dev.spanwise.model.StatusCode;
import dev.spanwise.model.TraceId;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes OTLP trace data ({@code ExportTraceServiceRequest} or {@code TracesData}, which share
 * one wire layout) into model spans.
 *
 * <p>As the OTLP specification asks, a span that cannot be taken is rejected, not fatal: a trace
 * id that is not 16 bytes or is all zero, a span id that is not 8 bytes or is zero, a parent or
 * link id of the wrong length, or an end before the start. The {@link DecodeResult} carries the
 * accepted spans, the rejected count and the first problem with its field path, e.g. {@code
 * resourceSpans[0].scopeSpans[1].spans[3].traceId: must be 16 bytes, was 8}. Only a body that is
 * not protobuf at all throws {@link CodecException}.
 *
 * <p>Bytes are read straight into the model (no generated message tree in between); the
 * generated-message overloads convert an already parsed message. Both give the same result.
 *
 * <p>An attribute with an empty value (OTLP's null) is left out; the resource's and scope's
 * {@code schema_url} and the scope's dropped attribute count have no place in the model.
 */
public final class OtlpTraceDecoder {

  /**
   * Decodes the bytes of an {@code ExportTraceServiceRequest} or {@code TracesData}.
   *
   * @throws CodecException when the bytes are not such a protobuf message
   */
  public static DecodeResult decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  /** Decodes {@code length} bytes from {@code offset}; see {@link #decode(byte[])}. */
  public static DecodeResult decode(byte[] bytes, int offset, int length) {
    try {
      return OtlpProtoReader.read(bytes, offset, length);
    } catch (InvalidProtocolBufferException e) {
      throw new CodecException(
          "body is not a valid OTLP protobuf trace message: " + e.getMessage(), e);
    } catch (java.io.IOException e) {
      throw new CodecException("body could not be read as OTLP protobuf: " + e.getMessage(), e);
    }
  }

  /**
   * What {@link #scan} found: the spans that would decode, those that would be rejected, and the
   * first problem (as {@link DecodeResult#errorMessage()} gives it; empty when none).
   */
  public record Scan(int acceptedSpans, int rejectedSpans, String errorMessage) {
    public Scan {
      errorMessage = errorMessage == null ? "" : errorMessage;
    }

    public boolean hasRejections() {
      return rejectedSpans > 0;
    }
  }

  /**
   * Checks the bytes of an {@code ExportTraceServiceRequest} or {@code TracesData} as {@link
   * #decode(byte[], int, int)} reads them, without building spans: bytes that decode refuses are
   * refused the same way, and the counts and first problem are those decode would give. A
   * receiver that finds nothing rejected passes the bytes on as they are.
   *
   * @throws CodecException when the bytes are not such a protobuf message
   */
  public static Scan scan(byte[] bytes, int offset, int length) {
    try {
      OtlpProtoScanner.Result r = OtlpProtoScanner.scan(bytes, offset, length);
      return new Scan(r.acceptedSpans(), r.rejectedSpans(), r.firstError());
    } catch (InvalidProtocolBufferException e) {
      throw new CodecException(
          "body is not a valid OTLP protobuf trace message: " + e.getMessage(), e);
    } catch (java.io.IOException e) {
      throw new CodecException("body could not be read as OTLP protobuf: " + e.getMessage(), e);
    }
  }

  public static DecodeResult decode(ExportTraceServiceRequest request) {
    return decode(request.getResourceSpansList());
  }

  public static DecodeResult decode(TracesData tracesData) {
    return decode(tracesData.getResourceSpansList());
  }

  static DecodeResult decode(List<ResourceSpans> resourceSpansList) {
    List<Span> accepted = new ArrayList<>(countSpans(resourceSpansList));
    int rejected = 0;
    String firstError = null;
    for (int r = 0, rn = resourceSpansList.size(); r < rn; r++) {
      ResourceSpans resourceSpans = resourceSpansList.get(r);
      io.opentelemetry.proto.resource.v1.Resource protoResource = resourceSpans.getResource();
      Resource resource = Resource.of(
          OtlpAttributes.toModel(protoResource.getAttributesList()),
          protoResource.getDroppedAttributesCount());
      List<ScopeSpans> scopeSpansList = resourceSpans.getScopeSpansList();
      for (int s = 0, sn = scopeSpansList.size(); s < sn; s++) {
        ScopeSpans scopeSpans = scopeSpansList.get(s);
        io.opentelemetry.proto.common.v1.InstrumentationScope protoScope = scopeSpans.getScope();
        InstrumentationScope scope = InstrumentationScope.of(
            protoScope.getName(), protoScope.getVersion(),
            OtlpAttributes.toModel(protoScope.getAttributesList()));
        List<io.opentelemetry.proto.trace.v1.Span> spans = scopeSpans.getSpansList();
        for (int i = 0, n = spans.size(); i < n; i++) {
          io.opentelemetry.proto.trace.v1.Span span = spans.get(i);
          String problem = validate(span);
          if (problem != null) {
            rejected++;
            if (firstError == null) {
              firstError = "resourceSpans[" + r + "].scopeSpans[" + s + "].spans[" + i + "]."
                  + problem;
            }
            continue;
          }
          accepted.add(toModel(span, resource, scope));
        }
      }
    }
    return DecodeResult.of(accepted, rejected, firstError);
  }

  private static int countSpans(List<ResourceSpans> resourceSpansList) {
    int count = 0;
    for (ResourceSpans rs : resourceSpansList) {
      for (ScopeSpans ss : rs.getScopeSpansList()) count += ss.getSpansCount();
    }
    return count;
  }

  /** The problem with a span as "field: reason", or null when it can be taken. */
  private static String validate(io.opentelemetry.proto.trace.v1.Span span) {
    String problem = checkTraceId("traceId", span.getTraceId());
    if (problem == null) {
      ByteString spanId = span.getSpanId();
      problem = OtlpSpanRules.spanIdProblem(spanId.size(), isAllZero(spanId));
    }
    if (problem == null) problem = OtlpSpanRules.parentSpanIdProblem(span.getParentSpanId().size());
    if (problem == null) {
      problem = OtlpSpanRules.timesProblem(span.getStartTimeUnixNano(), span.getEndTimeUnixNano());
    }
    if (problem != null) return problem;
    List<io.opentelemetry.proto.trace.v1.Span.Link> links = span.getLinksList();
    for (int i = 0, n = links.size(); i < n; i++) {
      io.opentelemetry.proto.trace.v1.Span.Link link = links.get(i);
      ByteString traceId = link.getTraceId();
      problem = OtlpSpanRules.linkTraceIdProblem(i, traceId.size(), isAllZero(traceId));
      if (problem == null) problem = OtlpSpanRules.linkSpanIdProblem(i, link.getSpanId().size());
      if (problem != null) return problem;
    }
    return null;
  }

  private static String checkTraceId(String field, ByteString traceId) {
    return OtlpSpanRules.traceIdProblem(field, traceId.size(), isAllZero(traceId));
  }

  private static boolean isAllZero(ByteString bytes) {
    for (int i = 0, n = bytes.size(); i < n; i++) {
      if (bytes.byteAt(i) != 0) return false;
    }
    return true;
  }

  static long readLong(ByteString bytes, int offset) {
    long v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | (bytes.byteAt(offset + i) & 0xffL);
    return v;
  }

  private static TraceId traceId(ByteString bytes) {
    return TraceId.of(readLong(bytes, 0), readLong(bytes, 8));
  }

  /** Converts a span that passed {@link #validate}. */
  private static Span toModel(
      io.opentelemetry.proto.trace.v1.Span span, Resource resource, InstrumentationScope scope) {
    Span.Builder b = Span.builder()
        .resource(resource)
        .scope(scope)
        .traceId(traceId(span.getTraceId()))
        .spanId(readLong(span.getSpanId(), 0))
        .parentSpanId(span.getParentSpanId().isEmpty() ? 0 : readLong(span.getParentSpanId(), 0))
        .traceState(span.getTraceState())
        .name(span.getName())
        .kind(SpanKind.fromOtlpNumber(span.getKindValue()))
        .startEpochNanos(span.getStartTimeUnixNano())
        .endEpochNanos(span.getEndTimeUnixNano())
        .attributes(OtlpAttributes.toModel(span.getAttributesList()))
        .flags(span.getFlags())
        .droppedAttributesCount(span.getDroppedAttributesCount())
        .droppedEventsCount(span.getDroppedEventsCount())
        .droppedLinksCount(span.getDroppedLinksCount());
    for (io.opentelemetry.proto.trace.v1.Span.Event event : span.getEventsList()) {
      b.addEvent(SpanEvent.of(
          event.getTimeUnixNano(), event.getName(),
          OtlpAttributes.toModel(event.getAttributesList()), event.getDroppedAttributesCount()));
    }
    for (io.opentelemetry.proto.trace.v1.Span.Link link : span.getLinksList()) {
      Attributes attributes = OtlpAttributes.toModel(link.getAttributesList());
      b.addLink(SpanLink.of(
          traceId(link.getTraceId()), readLong(link.getSpanId(), 0), link.getTraceState(),
          attributes, link.getDroppedAttributesCount(), link.getFlags()));
    }
    if (span.hasStatus()) {
      io.opentelemetry.proto.trace.v1.Status status = span.getStatus();
      b.status(Status.of(StatusCode.fromOtlpNumber(status.getCodeValue()), status.getMessage()));
    }
    return b.build();
  }

  private OtlpTraceDecoder() {}
}
