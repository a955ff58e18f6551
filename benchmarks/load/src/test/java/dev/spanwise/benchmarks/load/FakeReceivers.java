package dev.spanwise.benchmarks.load;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process receiver on 127.0.0.1, ephemeral port: OTLP/HTTP and Zipkin paths answering with
 * a chosen behaviour, and a real gRPC TraceService.
 */
final class FakeReceivers implements AutoCloseable {
  enum Mode { ACCEPT, PARTIAL, REFUSE, BAD_REQUEST, TEXT_OK }

  volatile Mode mode = Mode.ACCEPT;
  final AtomicLong otlpSpans = new AtomicLong();
  final AtomicLong grpcSpans = new AtomicLong();
  final AtomicInteger zipkinRequests = new AtomicInteger();
  final Server server;

  FakeReceivers() {
    server = Server.builder()
        .http(new InetSocketAddress("127.0.0.1", 0))
        .gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO)
        .service("/v1/traces", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(agg -> {
          switch (mode) {
            case REFUSE:
              return HttpResponse.of(ResponseHeaders.builder(HttpStatus.SERVICE_UNAVAILABLE)
                  .add("retry-after", "3").build());
            case TEXT_OK:
              return HttpResponse.of(HttpStatus.OK);
            case BAD_REQUEST:
              return HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.PLAIN_TEXT_UTF_8,
                  "resourceSpans[0].scopeSpans[0].spans[0].traceId: must be 16 bytes");
            default:
              break;
          }
          try {
            ExportTraceServiceRequest r = ExportTraceServiceRequest.parseFrom(agg.content().array());
            long spans = r.getResourceSpansList().stream().flatMap(rs -> rs.getScopeSpansList().stream())
                .mapToLong(ss -> ss.getSpansCount()).sum();
            otlpSpans.addAndGet(spans);
          } catch (Exception e) {
            return HttpResponse.of(HttpStatus.BAD_REQUEST);
          }
          ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
          if (mode == Mode.PARTIAL) {
            response.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(3));
          }
          return HttpResponse.of(HttpStatus.OK, MediaType.PROTOBUF, response.build().toByteArray());
        })))
        .service("/metrics", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8,
            "# TYPE spanwise_indexer_spans_total counter\n"
                + "spanwise_indexer_spans_total " + (otlpSpans.get() + grpcSpans.get()) + ".0\n"
                + "spanwise_indexer_lag_bytes 2097152.0\n"))
        .service("/api/v2/spans", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(agg -> {
          zipkinRequests.incrementAndGet();
          return HttpResponse.of(mode == Mode.REFUSE ? HttpStatus.TOO_MANY_REQUESTS
              : HttpStatus.ACCEPTED);
        })))
        .service(GrpcService.builder().addService(new TraceServiceGrpc.TraceServiceImplBase() {
          @Override
          public void export(ExportTraceServiceRequest request,
              StreamObserver<ExportTraceServiceResponse> observer) {
            if (mode == Mode.REFUSE) {
              // as the Spanwise receiver refuses: UNAVAILABLE with a RetryInfo of 3 s
              observer.onError(StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                  .setCode(Code.UNAVAILABLE_VALUE)
                  .setMessage("queue full")
                  .addDetails(Any.pack(RetryInfo.newBuilder()
                      .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(3))
                      .build()))
                  .build()));
              return;
            }
            grpcSpans.addAndGet(request.getResourceSpansList().stream()
                .flatMap(rs -> rs.getScopeSpansList().stream())
                .mapToLong(ss -> ss.getSpansCount()).sum());
            ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
            if (mode == Mode.PARTIAL) {
              response.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(3));
            }
            observer.onNext(response.build());
            observer.onCompleted();
          }
        }).build())
        .build();
    server.start().join();
  }

  HostAndPort target() {
    return new HostAndPort("127.0.0.1", server.activeLocalPort());
  }

  @Override
  public void close() {
    server.stop().join();
  }
}
