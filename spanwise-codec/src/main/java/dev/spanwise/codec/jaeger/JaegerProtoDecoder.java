package dev.spanwise.codec.jaeger;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.spanwise.codec.CodecException;
import dev.spanwise.codec.DecodeResult;
import dev.spanwise.codec.jaeger.proto.Collector.PostSpansRequest;
import dev.spanwise.codec.jaeger.proto.Model;
import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Attributes;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanId;
import dev.spanwise.model.TraceId;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes Jaeger's protobuf spans ({@code jaeger.api_v2}, {@code model.proto}): the {@code
 * PostSpansRequest} of {@code jaeger.api_v2.CollectorService/PostSpans}, as Jaeger clients and the
 * Jaeger agent send it over gRPC. A span's own {@code process} wins over the batch's; a span whose
 * process is empty takes the batch's. Times are nanoseconds already. A span with a missing or
 * zero trace or span id is rejected on its own and counted in the {@link DecodeResult}; an unknown
 * tag type fails the request. See {@link JaegerMapping} for the mapping.
 */
public final class JaegerProtoDecoder {

  /** Parses and decodes a serialized {@code PostSpansRequest}. */
  public static DecodeResult decode(byte[] postSpansRequest) {
    PostSpansRequest request;
    try {
      request = PostSpansRequest.parseFrom(postSpansRequest);
    } catch (InvalidProtocolBufferException e) {
      throw new CodecException("body: not a jaeger.api_v2.PostSpansRequest: " + e.getMessage(), e);
    }
    return decode(request);
  }

  public static DecodeResult decode(PostSpansRequest request) {
    return decode(request.getBatch(), "batch");
  }

  /** Decodes a {@code Batch}; {@code path} names it in error messages. */
  public static DecodeResult decode(Model.Batch batch, String path) {
    Resource batchResource = batch.hasProcess()
        ? resource(batch.getProcess(), path + ".process")
        : Resource.EMPTY;
    List<Span> spans = new ArrayList<>(batch.getSpansCount());
    int rejected = 0;
    String firstRejection = "";
    for (int i = 0; i < batch.getSpansCount(); i++) {
      String at = path + ".spans[" + i + "]";
      Model.Span span = batch.getSpans(i);
      Span.Builder b = Span.builder();
      String rejection = fill(span, at, b);
      if (rejection == null) {
        Resource resource = span.hasProcess() && !isEmpty(span.getProcess())
            ? resource(span.getProcess(), at + ".process")
            : batchResource;
        try {
          spans.add(JaegerMapping.build(b.resource(resource), at, "traceId", "spanId"));
          continue;
        } catch (CodecException e) {
          rejection = e.getMessage();
        }
      }
      if (rejected++ == 0) firstRejection = rejection;
    }
    return DecodeResult.of(spans, rejected, firstRejection);
  }

  /** Fills the builder from the span; returns why the span is rejected, or null. */
  private static String fill(Model.Span span, String path, Span.Builder b) {
    TraceId traceId;
    long spanId;
    try {
      traceId = traceId(span.getTraceId(), path + ".traceId");
      spanId = spanId(span.getSpanId(), path + ".spanId");
    } catch (CodecException e) {
      return e.getMessage();
    }
    b.traceId(traceId).spanId(spanId).name(span.getOperationName()).flags(span.getFlags());
    long start = nanos(span.getStartTime().getSeconds(), span.getStartTime().getNanos());
    long duration = nanos(span.getDuration().getSeconds(), span.getDuration().getNanos());
    if (start < 0) return path + ".startTime: must not be negative or out of range";
    if (duration < 0 || start + duration < 0) {
      return path + ".duration: must not be negative or out of range";
    }
    b.startEpochNanos(start).endEpochNanos(start + duration);

    List<JaegerMapping.Reference> references = new ArrayList<>(span.getReferencesCount());
    for (int i = 0; i < span.getReferencesCount(); i++) {
      Model.SpanRef ref = span.getReferences(i);
      String at = path + ".references[" + i + "]";
      if (ref.getRefTypeValue() != Model.SpanRefType.CHILD_OF_VALUE
          && ref.getRefTypeValue() != Model.SpanRefType.FOLLOWS_FROM_VALUE) {
        throw new CodecException(at + ".refType: unknown reference type " + ref.getRefTypeValue());
      }
      try {
        references.add(new JaegerMapping.Reference(
            ref.getRefType() == Model.SpanRefType.CHILD_OF,
            traceId(ref.getTraceId(), at + ".traceId"),
            spanId(ref.getSpanId(), at + ".spanId")));
      } catch (CodecException e) {
        return e.getMessage();
      }
    }
    JaegerMapping.applyReferences(b, traceId, 0, references);
    JaegerMapping.applySpanTags(tags(span.getTagsList(), path + ".tags"), b);
    for (int i = 0; i < span.getLogsCount(); i++) {
      Model.Log log = span.getLogs(i);
      long at = nanos(log.getTimestamp().getSeconds(), log.getTimestamp().getNanos());
      if (at < 0) return path + ".logs[" + i + "].timestamp: must not be negative or out of range";
      b.addEvent(JaegerMapping.event(at, tags(log.getFieldsList(), path + ".logs[" + i + "].fields")));
    }
    return null;
  }

  private static boolean isEmpty(Model.Process process) {
    return process.getServiceName().isEmpty() && process.getTagsCount() == 0;
  }

  private static Resource resource(Model.Process process, String path) {
    return JaegerMapping.resource(process.getServiceName(), tags(process.getTagsList(), path + ".tags"));
  }

  static Attributes tags(List<Model.KeyValue> tags, String path) {
    if (tags.isEmpty()) return Attributes.EMPTY;
    Attributes.Builder b = Attributes.builder();
    for (int i = 0; i < tags.size(); i++) {
      Model.KeyValue kv = tags.get(i);
      switch (kv.getVTypeValue()) {
        case Model.ValueType.STRING_VALUE:
          b.put(kv.getKey(), AttributeValue.of(kv.getVStr()));
          break;
        case Model.ValueType.BOOL_VALUE:
          b.put(kv.getKey(), AttributeValue.of(kv.getVBool()));
          break;
        case Model.ValueType.INT64_VALUE:
          b.put(kv.getKey(), AttributeValue.of(kv.getVInt64()));
          break;
        case Model.ValueType.FLOAT64_VALUE:
          b.put(kv.getKey(), AttributeValue.of(kv.getVFloat64()));
          break;
        case Model.ValueType.BINARY_VALUE:
          b.put(kv.getKey(), AttributeValue.ofBytes(kv.getVBinary().toByteArray()));
          break;
        default:
          throw new CodecException(path + "[" + i + "].vType: unknown tag type "
              + kv.getVTypeValue() + " (expected STRING, BOOL, INT64, FLOAT64 or BINARY)");
      }
    }
    return b.build();
  }

  /** Nanoseconds since the epoch, or -1 when negative or beyond a long. */
  private static long nanos(long seconds, int nanos) {
    if (seconds < 0 || nanos < 0) return -1;
    try {
      return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), nanos);
    } catch (ArithmeticException e) {
      return -1;
    }
  }

  private static TraceId traceId(ByteString bytes, String field) {
    if (bytes.size() != 16 && bytes.size() != 8) {
      throw new CodecException(field + ": must be 16 bytes, was " + bytes.size());
    }
    return TraceId.fromBytes(bytes.toByteArray());
  }

  private static long spanId(ByteString bytes, String field) {
    if (bytes.size() != 8) throw new CodecException(field + ": must be 8 bytes, was " + bytes.size());
    return SpanId.fromBytes(bytes.toByteArray());
  }

  private JaegerProtoDecoder() {}
}
