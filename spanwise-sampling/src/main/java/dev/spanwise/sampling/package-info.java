/**
 * Jaeger remote sampling: the strategies Jaeger clients and the OpenTelemetry SDK's Jaeger remote
 * sampler ask for (HTTP on 5778, gRPC on 5779), taken from a strategies file or computed by
 * adaptive sampling from the spans Spanwise stores. The entry point is {@link
 * dev.spanwise.sampling.SamplingStrategies}.
 */
package dev.spanwise.sampling;
