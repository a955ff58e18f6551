package dev.spanwise.collector.receiver.internal;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpStatus;

/**
 * One accepted request encoding of an HTTP receiver (for example OTLP/JSON): how to decode its
 * body and how to answer in the same encoding.
 */
public interface HttpFormat {
  /** Decodes a decompressed body; see {@link SpanBatchDecoder} for how bad data is reported. */
  DecodedBatch decode(byte[] body);

  /** The answer once the accepted spans are durable. */
  AggregatedHttpResponse success(DecodedBatch batch);

  /** An error answer with a body naming the problem, in this format. */
  AggregatedHttpResponse error(HttpStatus status, String message);
}
