/**
 * Wire formats to and from the Spanwise model: the shared {@link dev.spanwise.codec.CodecException}
 * and {@link dev.spanwise.codec.DecodeResult}, and the write-ahead log's {@link
 * dev.spanwise.codec.SpanBatchCodec}. Formats live in sub-packages: {@code otlp}, {@code zipkin},
 * {@code jaeger}.
 */
package dev.spanwise.codec;
