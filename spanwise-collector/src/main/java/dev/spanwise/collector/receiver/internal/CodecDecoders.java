package dev.spanwise.collector.receiver.internal;

import dev.spanwise.codec.DecodeResult;
import dev.spanwise.codec.otlp.OtlpTraceDecoder;

/** The decoders of {@code spanwise-codec}, adapted to {@link SpanBatchDecoder}. */
public final class CodecDecoders {
  private CodecDecoders() {}

  /** OTLP protobuf {@code ExportTraceServiceRequest}; invalid spans become a partial success. */
  public static SpanBatchDecoder otlpProtobuf() {
    return body -> of(OtlpTraceDecoder.decode(body));
  }

  /** OTLP/JSON with hex ids. */
  public static SpanBatchDecoder otlpJson() {
    return unavailable("OTLP/JSON");
  }

  /** Zipkin v2 JSON list of spans. */
  public static SpanBatchDecoder zipkinJson() {
    return unavailable("Zipkin v2 JSON");
  }

  /** Zipkin v2 proto3 {@code ListOfSpans}. */
  public static SpanBatchDecoder zipkinProto3() {
    return unavailable("Zipkin v2 proto3");
  }

  static DecodedBatch of(DecodeResult result) {
    return new DecodedBatch(result.spans(), result.rejectedSpans(), result.errorMessage());
  }

  private static SpanBatchDecoder unavailable(String format) {
    return body -> {
      throw new RefusedException(
          RefusedException.Kind.UNSUPPORTED_MEDIA_TYPE, format + " is not supported yet");
    };
  }
}
