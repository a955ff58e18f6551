/**
 * Receivers on Armeria: OTLP/gRPC ({@link dev.spanwise.collector.receiver.OtlpGrpcReceiver}),
 * OTLP/HTTP ({@link dev.spanwise.collector.receiver.OtlpHttpReceiver}), Zipkin v2 ({@link
 * dev.spanwise.collector.receiver.ZipkinReceiver}), Jaeger Thrift over HTTP ({@link
 * dev.spanwise.collector.receiver.JaegerThriftHttpReceiver}) and gRPC ({@link
 * dev.spanwise.collector.receiver.JaegerGrpcReceiver}), and Jaeger agent UDP ({@link
 * dev.spanwise.collector.receiver.JaegerUdpReceiver}), sharing {@link
 * dev.spanwise.collector.receiver.ReceiverLimits}. Each decodes with {@code spanwise-codec}, hands
 * the spans to a {@link dev.spanwise.collector.SpanPipeline} and answers success only once the
 * pipeline's future has completed (UDP cannot answer: it counts what became of each datagram).
 */
package dev.spanwise.collector.receiver;
