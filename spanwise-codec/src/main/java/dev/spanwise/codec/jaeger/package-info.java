/**
 * Jaeger's formats: the query API's JSON (encode and decode), Thrift ({@code jaeger.thrift}
 * {@code Batch} over HTTP, {@code Agent.emitBatch} over UDP) and protobuf ({@code jaeger.api_v2})
 * decoding, all through one mapping to the model.
 */
package dev.spanwise.codec.jaeger;
