/** Zipkin v2: JSON decode and encode, proto3 {@code ListOfSpans} decode; one shared mapping. */
package dev.spanwise.codec.zipkin;
