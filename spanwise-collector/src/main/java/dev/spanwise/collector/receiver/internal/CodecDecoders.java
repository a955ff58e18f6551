package dev.spanwise.collector.receiver.internal;

import dev.spanwise.codec.DecodeResult;
import dev.spanwise.codec.otlp.OtlpJsonDecoder;
import dev.spanwise.codec.otlp.OtlpTraceDecoder;
import dev.spanwise.codec.zipkin.ZipkinJsonDecoder;
import dev.spanwise.codec.zipkin.ZipkinProto3Decoder;

/**
 * The decoders of {@code spanwise-codec}, adapted to {@link SpanBatchDecoder}. OTLP decoders are
 * lenient (invalid spans become a partial success); Zipkin's are strict, as Zipkin's own server is:
 * one bad span refuses the whole request with 400.
 */
public final class CodecDecoders {
  private CodecDecoders() {}

  /** OTLP protobuf {@code ExportTraceServiceRequest}; invalid spans become a partial success. */
  public static SpanBatchDecoder otlpProtobuf() {
    return body -> of(OtlpTraceDecoder.decode(body));
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

  static DecodedBatch of(DecodeResult result) {
    return new DecodedBatch(result.spans(), result.rejectedSpans(), result.errorMessage());
  }
}
