package dev.spanwise.collector.receiver.internal;

/**
 * Turns one request body (already decompressed) into model spans, using the codecs of
 * {@code spanwise-codec}. Bad data is reported by throwing: a {@link RefusedException} of kind
 * {@code INVALID} or any {@link RuntimeException} whose message names the problem; receivers
 * answer both with 400 / {@code INVALID_ARGUMENT}.
 */
@FunctionalInterface
public interface SpanBatchDecoder {
  DecodedBatch decode(byte[] body);
}
