/** The JSON of Jaeger's query API, as Jaeger UI and Grafana read it: encode and decode. */
package dev.spanwise.codec.jaeger;
