package dev.spanwise.collector.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.client.grpc.GrpcClientStubFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.spanwise.codec.jaeger.proto.Collector.PostSpansRequest;
import dev.spanwise.codec.jaeger.proto.Collector.PostSpansResponse;
import dev.spanwise.codec.jaeger.proto.Model;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanId;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** PostSpans through a real gRPC client (Armeria's, with grpc-java's calls and marshallers). */
class JaegerGrpcReceiverTest {
  static final MethodDescriptor<PostSpansRequest, PostSpansResponse> POST_SPANS =
      MethodDescriptor.<PostSpansRequest, PostSpansResponse>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("jaeger.api_v2.CollectorService/PostSpans")
          .setRequestMarshaller(ProtoUtils.marshaller(PostSpansRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(PostSpansResponse.getDefaultInstance()))
          .build();
  static final ServiceDescriptor SERVICE =
      ServiceDescriptor.newBuilder("jaeger.api_v2.CollectorService").addMethod(POST_SPANS).build();

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final FakePipeline pipeline = new FakePipeline(FakePipeline.Mode.COMPLETE);
  TestServer server;

  TestServer start(ReceiverLimits limits) {
    server = new TestServer(new JaegerGrpcReceiver(pipeline, limits, registry)::configure);
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  /** A gRPC channel to the server; no generated stub exists, so the stub is the channel. */
  Channel channel() {
    return GrpcClients.builder(server.uri())
        .factory(server.clientFactory())
        .responseTimeoutMillis(30_000)
        .clientStubFactory(new GrpcClientStubFactory() {
          @Override
          public ServiceDescriptor findServiceDescriptor(Class<?> clientType) {
            return clientType == Channel.class ? SERVICE : null;
          }

          @Override
          public Object newClientStub(Class<?> clientType, Channel channel) {
            return channel;
          }
        })
        .build(Channel.class);
  }

  PostSpansResponse post(PostSpansRequest request) {
    return ClientCalls.blockingUnaryCall(channel(), POST_SPANS, CallOptions.DEFAULT, request);
  }

  static PostSpansRequest request(long... spanIds) {
    Model.Batch.Builder batch = Model.Batch.newBuilder()
        .setProcess(Model.Process.newBuilder().setServiceName("inventory")
            .addTags(Model.KeyValue.newBuilder().setKey("hostname").setVStr("h1")));
    for (long id : spanIds) {
      batch.addSpans(Model.Span.newBuilder()
          .setTraceId(ByteString.copyFrom(new byte[] {
              1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}))
          .setSpanId(ByteString.copyFrom(SpanId.toBytes(id)))
          .setOperationName("reserve")
          .setStartTime(Timestamp.newBuilder().setSeconds(1_700_000_000L))
          .setDuration(com.google.protobuf.Duration.newBuilder().setNanos(1000))
          .addTags(Model.KeyValue.newBuilder().setKey("span.kind").setVStr("server")));
    }
    return PostSpansRequest.newBuilder().setBatch(batch).build();
  }

  @Test
  void postSpansIsAnsweredOkOnceDurable() {
    start(ReceiverLimits.defaults());
    PostSpansResponse response = post(request(7, 8));

    assertThat(response).isEqualTo(PostSpansResponse.getDefaultInstance());
    assertThat(pipeline.spans()).hasSize(2);
    Span span = pipeline.spans().get(0);
    assertThat(span.traceId().toHex()).isEqualTo("0102030405060708090a0b0c0d0e0f10");
    assertThat(span.spanId()).isEqualTo(7);
    assertThat(span.serviceName()).isEqualTo("inventory");
    assertThat(span.resource().attributes().getString("hostname")).isEqualTo("h1");
    assertThat(span.kind()).isEqualTo(dev.spanwise.model.SpanKind.SERVER);
    assertThat(registry.get("spanwise.spans.accepted").tag("protocol", "jaeger_grpc").counter()
        .count()).isEqualTo(2);
  }

  @Test
  void noValidSpanIsInvalidArgumentWithMessage() {
    start(ReceiverLimits.defaults());
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> post(request(0)));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).isEqualTo("batch.spans[0].spanId: must not be zero");
    assertThat(pipeline.writes).isEmpty();
  }

  @Test
  void pipelineOverloadIsUnavailableWithRetryInfo() throws Exception {
    pipeline.mode(FakePipeline.Mode.OVERLOADED);
    pipeline.retryAfter(Duration.ofSeconds(3));
    start(ReceiverLimits.defaults());
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> post(request(1)));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    RetryInfo retry = StatusProto.fromThrowable(e).getDetails(0).unpack(RetryInfo.class);
    assertThat(retry.getRetryDelay().getSeconds()).isEqualTo(3);
  }

  @Test
  void messageAboveTheLimitIsResourceExhausted() {
    start(ReceiverLimits.builder().maxBodyBytes(200).build());
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> post(request(1, 2, 3, 4, 5, 6)));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(pipeline.writes).isEmpty();
  }
}
