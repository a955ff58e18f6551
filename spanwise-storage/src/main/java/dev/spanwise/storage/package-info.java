/**
 * Storage plug-in interfaces, split by question as Zipkin's are: {@link
 * dev.spanwise.storage.SpanConsumer} writes, {@link dev.spanwise.storage.TraceReader}, {@link
 * dev.spanwise.storage.TraceSearch}, {@link dev.spanwise.storage.ServiceNames}, {@link
 * dev.spanwise.storage.AttributeNames} and {@link dev.spanwise.storage.DependencyReader} read.
 * {@link dev.spanwise.storage.SpanStore} bundles them with the backend's declared capabilities.
 */
package dev.spanwise.storage;
