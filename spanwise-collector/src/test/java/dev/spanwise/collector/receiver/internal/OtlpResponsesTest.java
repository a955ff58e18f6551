package dev.spanwise.collector.receiver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.common.HttpStatus;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Our hand-written JSON answers parse as the generated protobuf classes' JSON. */
class OtlpResponsesTest {
  @Test
  void partialSuccessJsonParsesAsExportTraceServiceResponse() throws Exception {
    DecodedBatch batch = new DecodedBatch(List.of(), 3, "spans[1].traceId: \"bad\"\n");
    String json = new String(OtlpResponses.exportResponseJson(batch), StandardCharsets.UTF_8);

    ExportTraceServiceResponse.Builder parsed = ExportTraceServiceResponse.newBuilder();
    JsonFormat.parser().merge(json, parsed);

    assertThat(parsed.build()).isEqualTo(OtlpResponses.exportResponse(batch));
    assertThat(parsed.getPartialSuccess().getRejectedSpans()).isEqualTo(3);
    assertThat(parsed.getPartialSuccess().getErrorMessage())
        .isEqualTo("spans[1].traceId: \"bad\"\n");
  }

  @Test
  void fullSuccessHasNoPartialSuccess() {
    DecodedBatch batch = new DecodedBatch(List.of(), 0, "");
    assertThat(OtlpResponses.exportResponse(batch).hasPartialSuccess()).isFalse();
    assertThat(new String(OtlpResponses.exportResponseJson(batch), StandardCharsets.UTF_8))
        .isEqualTo("{}");
  }

  @Test
  void statusJsonParsesAsGoogleRpcStatus() throws Exception {
    String json = new String(
        OtlpResponses.statusJson(HttpStatus.BAD_REQUEST, "spans[0].spanId: \"x\""),
        StandardCharsets.UTF_8);
    com.google.rpc.Status.Builder parsed = com.google.rpc.Status.newBuilder();
    JsonFormat.parser().merge(json, parsed);

    assertThat(parsed.build()).isEqualTo(com.google.rpc.Status.parseFrom(
        OtlpResponses.statusProto(HttpStatus.BAD_REQUEST, "spans[0].spanId: \"x\"")));
    assertThat(parsed.getCode()).isEqualTo(com.google.rpc.Code.INVALID_ARGUMENT_VALUE);
  }

  @Test
  void grpcMessageIsPercentEncoded() {
    assertThat(GrpcStatuses.percentEncode("a b%c\u00e9\n")).isEqualTo("a b%25c%C3%A9%0A");
  }
}
