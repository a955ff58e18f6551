/**
 * Receivers on Armeria: OTLP/gRPC ({@link dev.spanwise.collector.receiver.OtlpGrpcReceiver}),
 * OTLP/HTTP ({@link dev.spanwise.collector.receiver.OtlpHttpReceiver}) and Zipkin v2 ({@link
 * dev.spanwise.collector.receiver.ZipkinReceiver}), sharing {@link
 * dev.spanwise.collector.receiver.ReceiverLimits}. Each decodes with {@code spanwise-codec}, hands
 * the spans to a {@link dev.spanwise.collector.SpanPipeline} and answers success only once the
 * pipeline's future has completed.
 */
package dev.spanwise.collector.receiver;
