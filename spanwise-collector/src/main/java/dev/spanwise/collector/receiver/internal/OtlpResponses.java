package dev.spanwise.collector.receiver.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpStatus;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * OTLP answers: {@code ExportTraceServiceResponse} (with {@code partial_success} when spans were
 * rejected) and {@code google.rpc.Status} error bodies, in protobuf or OTLP/JSON.
 */
public final class OtlpResponses {
  private static final JsonFactory JSON = new JsonFactory();

  private OtlpResponses() {}

  public static ExportTraceServiceResponse exportResponse(DecodedBatch batch) {
    ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
    if (batch.rejectedSpans() > 0) {
      response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
          .setRejectedSpans(batch.rejectedSpans())
          .setErrorMessage(batch.errorMessage()));
    }
    return response.build();
  }

  /** {@code {}} or {@code {"partialSuccess":{"rejectedSpans":"2","errorMessage":"..."}}}. */
  public static byte[] exportResponseJson(DecodedBatch batch) {
    return json(g -> {
      g.writeStartObject();
      if (batch.rejectedSpans() > 0) {
        g.writeObjectFieldStart("partialSuccess");
        // proto3 JSON writes int64 as a string
        g.writeStringField("rejectedSpans", Long.toString(batch.rejectedSpans()));
        g.writeStringField("errorMessage", batch.errorMessage());
        g.writeEndObject();
      }
      g.writeEndObject();
    });
  }

  public static byte[] statusProto(HttpStatus status, String message) {
    return com.google.rpc.Status.newBuilder()
        .setCode(grpcCode(status))
        .setMessage(message)
        .build()
        .toByteArray();
  }

  /** {@code {"code":3,"message":"..."}}: {@code google.rpc.Status} in proto3 JSON. */
  public static byte[] statusJson(HttpStatus status, String message) {
    return json(g -> {
      g.writeStartObject();
      g.writeNumberField("code", grpcCode(status));
      g.writeStringField("message", message);
      g.writeEndObject();
    });
  }

  /** The gRPC code that OTLP pairs with an HTTP status. */
  static int grpcCode(HttpStatus status) {
    switch (status.code()) {
      case 400:
      case 415:
        return io.grpc.Status.Code.INVALID_ARGUMENT.value();
      case 413:
        return io.grpc.Status.Code.RESOURCE_EXHAUSTED.value();
      case 429:
      case 503:
        return io.grpc.Status.Code.UNAVAILABLE.value();
      case 500:
        return io.grpc.Status.Code.INTERNAL.value();
      default:
        return io.grpc.Status.Code.UNKNOWN.value();
    }
  }

  private interface JsonWriter {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] json(JsonWriter writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      writer.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
