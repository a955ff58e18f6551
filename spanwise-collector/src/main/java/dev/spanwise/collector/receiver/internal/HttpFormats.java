package dev.spanwise.collector.receiver.internal;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import java.util.Objects;

/** The formats of the HTTP receivers. */
public final class HttpFormats {
  public static final MediaType PROTOBUF = MediaType.create("application", "x-protobuf");

  private HttpFormats() {}

  /** OTLP/HTTP protobuf: 200 with {@code ExportTraceServiceResponse}, errors as a Status. */
  public static HttpFormat otlpProtobuf(SpanBatchDecoder decoder) {
    return new Otlp(decoder, PROTOBUF, false);
  }

  /** OTLP/HTTP JSON: as {@link #otlpProtobuf} in OTLP/JSON. */
  public static HttpFormat otlpJson(SpanBatchDecoder decoder) {
    return new Otlp(decoder, MediaType.JSON, true);
  }

  /** Zipkin v2: 202 with no body, errors as plain text, as Zipkin's own server answers. */
  public static HttpFormat zipkin(SpanBatchDecoder decoder) {
    return new Zipkin(decoder);
  }

  /** Answers errors in plain text; decodes nothing. */
  public static HttpFormat plainText() {
    return new Zipkin(body -> {
      throw new IllegalStateException("plain text format decodes nothing");
    });
  }

  private static final class Otlp implements HttpFormat {
    private final SpanBatchDecoder decoder;
    private final MediaType type;
    private final boolean json;

    Otlp(SpanBatchDecoder decoder, MediaType type, boolean json) {
      this.decoder = Objects.requireNonNull(decoder, "decoder");
      this.type = type;
      this.json = json;
    }

    @Override
    public DecodedBatch decode(byte[] body) {
      return decoder.decode(body);
    }

    @Override
    public AggregatedHttpResponse success(DecodedBatch batch) {
      byte[] body = json
          ? OtlpResponses.exportResponseJson(batch)
          : OtlpResponses.exportResponse(batch).toByteArray();
      return AggregatedHttpResponse.of(HttpStatus.OK, type, body);
    }

    @Override
    public AggregatedHttpResponse error(HttpStatus status, String message) {
      byte[] body = json
          ? OtlpResponses.statusJson(status, message)
          : OtlpResponses.statusProto(status, message);
      return AggregatedHttpResponse.of(status, type, body);
    }
  }

  private static final class Zipkin implements HttpFormat {
    private final SpanBatchDecoder decoder;

    Zipkin(SpanBatchDecoder decoder) {
      this.decoder = Objects.requireNonNull(decoder, "decoder");
    }

    @Override
    public DecodedBatch decode(byte[] body) {
      return decoder.decode(body);
    }

    @Override
    public AggregatedHttpResponse success(DecodedBatch batch) {
      return AggregatedHttpResponse.of(HttpStatus.ACCEPTED);
    }

    @Override
    public AggregatedHttpResponse error(HttpStatus status, String message) {
      return AggregatedHttpResponse.of(status, MediaType.PLAIN_TEXT_UTF_8, message);
    }
  }
}
