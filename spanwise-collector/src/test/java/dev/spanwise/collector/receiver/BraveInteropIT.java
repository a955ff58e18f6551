package dev.spanwise.collector.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import brave.Tracer;
import brave.Tracing;
import brave.propagation.TraceContext;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanId;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.StatusCode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.Encoding;
import zipkin2.reporter.brave.AsyncZipkinSpanHandler;
import zipkin2.reporter.brave.MutableSpanBytesEncoder;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * Brave with zipkin-reporter's URLConnection sender (gzip on by default) posting to our Zipkin
 * receiver, as JSON and as proto3: what it reports must reach the pipeline intact.
 */
class BraveInteropIT {
  final FakePipeline pipeline = new FakePipeline(FakePipeline.Mode.COMPLETE);
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  TestServer server;
  TraceContext parentContext;
  TraceContext childContext;

  @BeforeEach
  void start() {
    server = new TestServer(
        new ZipkinReceiver(pipeline, ReceiverLimits.defaults(), registry)::configure);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void jsonV2() {
    report(Encoding.JSON, MutableSpanBytesEncoder.JSON_V2);
    assertTraceReceived();
  }

  @Test
  void proto3() {
    report(Encoding.PROTO3, MutableSpanBytesEncoder.PROTO3);
    assertTraceReceived();
  }

  void report(Encoding encoding, MutableSpanBytesEncoder encoder) {
    URLConnectionSender sender = URLConnectionSender.newBuilder()
        .endpoint(server.uri() + "/api/v2/spans")
        .encoding(encoding)
        .build();
    AsyncZipkinSpanHandler handler = AsyncZipkinSpanHandler.newBuilder((BytesMessageSender) sender).build(encoder);
    Tracing tracing = Tracing.newBuilder()
        .localServiceName("frontend")
        .addSpanHandler(handler)
        .build();
    try {
      Tracer tracer = tracing.tracer();
      brave.Span parent = tracer.newTrace().name("get /checkout").kind(brave.Span.Kind.SERVER)
          .start();
      parent.tag("http.method", "GET");
      brave.Span child = tracer.newChild(parent.context()).name("select carts")
          .kind(brave.Span.Kind.CLIENT).remoteServiceName("postgres").start();
      child.tag("db.statement", "SELECT * FROM carts");
      child.annotate("cache miss");
      child.error(new IllegalStateException("connection refused"));
      child.finish();
      parent.finish();
      parentContext = parent.context();
      childContext = child.context();
      handler.flush(); // sends synchronously on this thread
    } finally {
      tracing.close();
      handler.close();
      sender.close();
    }
  }

  void assertTraceReceived() {
    List<Span> spans = pipeline.spans();
    assertThat(spans).hasSize(2);
    Span parent = spans.stream().filter(s -> s.name().equals("get /checkout")).findFirst()
        .orElseThrow();
    Span child = spans.stream().filter(s -> s.name().equals("select carts")).findFirst()
        .orElseThrow();

    // Brave's default 64-bit trace id is the low half of a 128-bit one
    String traceIdHex = parentContext.traceIdString();
    assertThat(parent.traceId().toHex()).isEqualTo("0".repeat(32 - traceIdHex.length()) + traceIdHex);
    assertThat(child.traceId()).isEqualTo(parent.traceId());
    assertThat(SpanId.toHex(parent.spanId())).isEqualTo(parentContext.spanIdString());
    assertThat(SpanId.toHex(child.spanId())).isEqualTo(childContext.spanIdString());
    assertThat(parent.isRoot()).isTrue();
    assertThat(child.parentSpanId()).isEqualTo(parent.spanId());

    assertThat(parent.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(child.kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(parent.serviceName()).isEqualTo("frontend");
    assertThat(child.serviceName()).isEqualTo("frontend");
    assertThat(child.attributes().getString("peer.service")).isEqualTo("postgres");

    assertThat(parent.attributes().getString("http.method")).isEqualTo("GET");
    assertThat(child.attributes().getString("db.statement")).isEqualTo("SELECT * FROM carts");
    assertThat(child.events()).extracting(e -> e.name()).containsExactly("cache miss");

    assertThat(child.status().code()).isEqualTo(StatusCode.ERROR);
    assertThat(child.status().message()).contains("connection refused");
    assertThat(parent.isError()).isFalse();
  }
}
