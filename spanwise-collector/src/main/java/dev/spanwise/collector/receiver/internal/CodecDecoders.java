package dev.spanwise.collector.receiver.internal;

import dev.spanwise.codec.DecodeResult;
import dev.spanwise.codec.jaeger.JaegerProtoDecoder;
import dev.spanwise.codec.jaeger.JaegerThriftDecoder;
import dev.spanwise.codec.otlp.OtlpJsonDecoder;
import dev.spanwise.codec.otlp.OtlpTraceDecoder;
import dev.spanwise.codec.zipkin.ZipkinJsonDecoder;
import dev.spanwise.codec.zipkin.ZipkinProto3Decoder;

/**
 * The decoders of {@code spanwise-codec}, adapted to {@link SpanBatchDecoder}. OTLP decoders are
 * lenient (invalid spans become a partial success); Zipkin's are strict, as Zipkin's own server is:
 * one bad span refuses the whole request with 400. Jaeger's drop spans with invalid ids (counted
 * as refused) and refuse a request that has none left.
 */
public final class CodecDecoders {
  private CodecDecoders() {}

  /**
   * OTLP protobuf {@code ExportTraceServiceRequest}; invalid spans become a partial success. The
   * body is scanned, not decoded: a request with nothing rejected is passed on as its bytes, for
   * the pipeline to log as they are; only one with rejected spans is decoded, to drop them.
   */
  public static SpanBatchDecoder otlpProtobuf() {
    return body -> {
      OtlpTraceDecoder.Scan scan = OtlpTraceDecoder.scan(body, 0, body.length);
      if (!scan.hasRejections()) return DecodedBatch.passThrough(body, scan.acceptedSpans());
      return of(OtlpTraceDecoder.decode(body));
    };
  }

  /** OTLP/JSON with hex ids. */
  public static SpanBatchDecoder otlpJson() {
    return body -> of(OtlpJsonDecoder.decode(body));
  }

  /** Zipkin v2 JSON list of spans. */
  public static SpanBatchDecoder zipkinJson() {
    return body -> DecodedBatch.of(ZipkinJsonDecoder.decode(body));
  }

  /** Zipkin v2 proto3 {@code ListOfSpans}. */
  public static SpanBatchDecoder zipkinProto3() {
    return body -> DecodedBatch.of(ZipkinProto3Decoder.decode(body));
  }

  /**
   * Jaeger Thrift binary {@code Batch} ({@code POST /api/traces}): spans with invalid ids are
   * dropped and counted; a request whose every span is invalid is refused.
   */
  public static SpanBatchDecoder jaegerThrift() {
    return body -> refuseIfNothingLeft(JaegerThriftDecoder.decodeBatch(body));
  }

  /** Jaeger's UDP {@code Agent.emitBatch} in the given Thrift protocol. */
  public static SpanBatchDecoder jaegerAgent(JaegerThriftDecoder.Protocol protocol) {
    return body -> refuseIfNothingLeft(JaegerThriftDecoder.decodeEmitBatch(body, protocol));
  }

  /** Jaeger protobuf {@code PostSpansRequest} (gRPC {@code CollectorService/PostSpans}). */
  public static SpanBatchDecoder jaegerProto() {
    return body -> refuseIfNothingLeft(JaegerProtoDecoder.decode(body));
  }

  /** Jaeger answers no partial success: a request with rejected spans and none left is bad. */
  static DecodedBatch refuseIfNothingLeft(DecodeResult result) {
    if (result.spans().isEmpty() && result.hasRejections()) {
      throw new RefusedException(RefusedException.Kind.INVALID, result.errorMessage());
    }
    return of(result);
  }

  static DecodedBatch of(DecodeResult result) {
    return new DecodedBatch(result.spans(), result.rejectedSpans(), result.errorMessage());
  }
}
