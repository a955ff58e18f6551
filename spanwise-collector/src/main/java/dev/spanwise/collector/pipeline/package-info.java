/**
 * The span pipeline behind the receivers: {@link
 * dev.spanwise.collector.pipeline.DurableSpanPipeline} acknowledges a batch once it is in the
 * write-ahead log and indexes it into storage in the background ({@link
 * dev.spanwise.collector.pipeline.Indexer}); {@link
 * dev.spanwise.collector.pipeline.DirectSpanPipeline} writes straight into a store; {@link
 * dev.spanwise.collector.pipeline.PipelineMetrics} publishes both sides to Micrometer.
 */
package dev.spanwise.collector.pipeline;
