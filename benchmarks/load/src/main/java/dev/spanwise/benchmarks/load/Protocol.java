package dev.spanwise.benchmarks.load;

import java.util.List;

/** A wire protocol the ingest load generator speaks. */
enum Protocol {
  /** OTLP/HTTP with a protobuf body, {@code POST /v1/traces}. */
  OTLP_HTTP("otlp-http", "/v1/traces", "application/x-protobuf", IdEncoding.BYTES),
  /** OTLP/gRPC {@code TraceService/Export}, unary, uncompressed. */
  OTLP_GRPC("otlp-grpc", "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
      "application/grpc", IdEncoding.BYTES),
  /** Zipkin v2 JSON, {@code POST /api/v2/spans}. */
  ZIPKIN_JSON("zipkin-json", "/api/v2/spans", "application/json", IdEncoding.HEX),
  /**
   * Jaeger Thrift binary {@code Batch}, {@code POST /api/traces}, as Jaeger clients send with
   * {@code JAEGER_ENDPOINT}. A batch holds the spans of one process (service instance).
   */
  JAEGER_THRIFT_HTTP("jaeger-thrift-http", "/api/traces", "application/vnd.apache.thrift.binary",
      IdEncoding.THRIFT_I64_PAIR);

  /** How trace ids appear on the wire, so that {@link BatchPool} can find and rewrite them. */
  enum IdEncoding {
    /** 16 raw bytes, a protobuf {@code bytes} field 1 ({@code 0a 10}). */
    BYTES,
    /** 32 lower-case hex characters in quotes. */
    HEX,
    /** Thrift i64 field 1 {@code traceIdLow} then i64 field 2 {@code traceIdHigh}. */
    THRIFT_I64_PAIR
  }

  /** The gRPC message frame: 1 byte compressed flag, 4 bytes big-endian length. */
  static final int GRPC_FRAME_HEADER = 5;

  final String flag;
  final String path;
  final String contentType;
  final IdEncoding idEncoding;

  Protocol(String flag, String path, String contentType, IdEncoding idEncoding) {
    this.flag = flag;
    this.path = path;
    this.contentType = contentType;
    this.idEncoding = idEncoding;
  }

  /** Whether one request may only hold spans of one service instance (Jaeger's process). */
  boolean batchesPerProcess() {
    return this == JAEGER_THRIFT_HTTP;
  }

  /** The request body carrying these spans. */
  byte[] encode(List<LoadSpan> spans) {
    switch (this) {
      case OTLP_HTTP:
        return OtlpEncoder.encode(spans);
      case OTLP_GRPC:
        return grpcFrame(OtlpEncoder.encode(spans));
      case ZIPKIN_JSON:
        return ZipkinJsonEncoder.encode(spans);
      case JAEGER_THRIFT_HTTP:
        return JaegerThriftEncoder.encode(spans);
      default:
        throw new AssertionError(this);
    }
  }

  static byte[] grpcFrame(byte[] message) {
    byte[] out = new byte[GRPC_FRAME_HEADER + message.length];
    out[0] = 0;
    out[1] = (byte) (message.length >>> 24);
    out[2] = (byte) (message.length >>> 16);
    out[3] = (byte) (message.length >>> 8);
    out[4] = (byte) message.length;
    System.arraycopy(message, 0, out, GRPC_FRAME_HEADER, message.length);
    return out;
  }

  static Protocol fromFlag(String flag) {
    for (Protocol p : values()) {
      if (p.flag.equalsIgnoreCase(flag)) return p;
    }
    throw new IllegalArgumentException("--protocol: '" + flag
        + "' is not one of otlp-http, otlp-grpc, zipkin-json, jaeger-thrift-http");
  }

  @Override
  public String toString() {
    return flag;
  }
}
