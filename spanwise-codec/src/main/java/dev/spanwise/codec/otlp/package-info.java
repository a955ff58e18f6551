/** OTLP trace data: protobuf (bytes or generated messages) and OTLP/JSON, both directions. */
package dev.spanwise.codec.otlp;
