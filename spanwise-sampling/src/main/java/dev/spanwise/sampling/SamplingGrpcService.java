package dev.spanwise.sampling;

import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import dev.spanwise.codec.jaeger.proto.Sampling.SamplingStrategyParameters;
import dev.spanwise.codec.jaeger.proto.Sampling.SamplingStrategyResponse;
import dev.spanwise.sampling.internal.SamplingMetrics;
import dev.spanwise.sampling.internal.StrategyProto;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jaeger's gRPC sampling service on 5779: {@code
 * jaeger.api_v2.SamplingManager/GetSamplingStrategy}, what the OpenTelemetry SDK's Jaeger remote
 * sampler calls. An empty {@code serviceName} is {@code INVALID_ARGUMENT}.
 */
public final class SamplingGrpcService {
  private static final Logger logger = LoggerFactory.getLogger(SamplingGrpcService.class);

  public static final String SERVICE_NAME = "jaeger.api_v2.SamplingManager";
  public static final String METHOD_NAME = "GetSamplingStrategy";

  private final SamplingStrategies strategies;
  private final SamplingMetrics metrics;

  SamplingGrpcService(SamplingStrategies strategies, SamplingMetrics metrics) {
    this.strategies = strategies;
    this.metrics = metrics;
  }

  /** Adds the gRPC service to {@code sb}. */
  public ServerBuilder configure(ServerBuilder sb) {
    return sb.service(grpcService());
  }

  /** The Armeria gRPC service, to mount elsewhere. */
  public GrpcService grpcService() {
    MethodDescriptor<SamplingStrategyParameters, SamplingStrategyResponse> method =
        MethodDescriptor.<SamplingStrategyParameters, SamplingStrategyResponse>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE_NAME, METHOD_NAME))
            .setRequestMarshaller(
                ProtoUtils.marshaller(SamplingStrategyParameters.getDefaultInstance()))
            .setResponseMarshaller(
                ProtoUtils.marshaller(SamplingStrategyResponse.getDefaultInstance()))
            .build();
    ServerServiceDefinition definition = ServerServiceDefinition.builder(SERVICE_NAME)
        .addMethod(method, ServerCalls.asyncUnaryCall(this::getSamplingStrategy))
        .build();
    return GrpcService.builder()
        .addService(definition)
        .build();
  }

  private void getSamplingStrategy(
      SamplingStrategyParameters request, StreamObserver<SamplingStrategyResponse> response) {
    String service = request.getServiceName();
    if (service.isEmpty()) {
      metrics.request("grpc", "invalid");
      response.onError(Status.INVALID_ARGUMENT
          .withDescription("serviceName is required")
          .asRuntimeException());
      return;
    }
    SamplingStrategyResponse answer;
    try {
      answer = StrategyProto.toProto(strategies.strategyFor(service));
    } catch (RuntimeException e) {
      metrics.request("grpc", "error");
      logger.warn("Cannot answer a sampling strategy request", e);
      response.onError(Status.INTERNAL
          .withDescription("cannot compute the sampling strategy")
          .asRuntimeException());
      return;
    }
    metrics.request("grpc", "ok");
    response.onNext(answer);
    response.onCompleted();
  }
}
