package dev.spanwise.codec.zipkin;

import static dev.spanwise.codec.zipkin.ZipkinJsonCodecTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.spanwise.codec.CodecException;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZipkinProto3DecoderTest {

  @Test
  void decodesLikeTheJsonDecoder() throws IOException {
    byte[] localEndpoint = message(out -> {
      out.writeString(1, "backend");
      out.writeBytes(2, ByteString.copyFrom(new byte[] {(byte) 192, (byte) 168, 99, 1}));
      out.writeInt32(4, 3306);
    });
    byte[] remoteEndpoint = message(out -> {
      out.writeBytes(2, ByteString.copyFrom(new byte[] {(byte) 172, 19, 0, 2}));
      out.writeInt32(4, 58648);
    });
    byte[] span = message(out -> {
      out.writeBytes(1, ByteString.copyFrom(hex("5af7183fb1d4cf5f")));
      out.writeBytes(2, ByteString.copyFrom(hex("6b221d5bc9e6496c")));
      out.writeBytes(3, ByteString.copyFrom(hex("352bff9a74ca9ad2")));
      out.writeEnum(4, 2); // SERVER
      out.writeString(5, "get /api");
      out.writeFixed64(6, 1556604172355737L);
      out.writeUInt64(7, 1431);
      out.writeByteArray(8, localEndpoint);
      out.writeByteArray(9, remoteEndpoint);
      out.writeByteArray(11, message(e -> {
        e.writeString(1, "http.method");
        e.writeString(2, "GET");
      }));
      out.writeByteArray(11, message(e -> {
        e.writeString(1, "http.path");
        e.writeString(2, "/api");
      }));
      out.writeString(99, "a field from the future");
    });
    byte[] list = message(out -> out.writeByteArray(1, span));

    List<Span> fromProto = ZipkinProto3Decoder.decode(list);

    assertThat(fromProto)
        .containsExactlyElementsOf(
            ZipkinJsonDecoder.decode(bytes(ZipkinJsonCodecTest.ZIPKIN_DOC_SAMPLE)));
  }

  @Test
  void mapsAnnotationsErrorIpv6DebugAnd128BitIds() throws IOException {
    byte[] ipv6 = hex("20010db8000000000000000000000c01");
    byte[] span = message(out -> {
      out.writeBytes(1, ByteString.copyFrom(hex("463ac35c9f6413ad48485a3953bb6124")));
      out.writeBytes(3, ByteString.copyFrom(hex("a2fb4a1d1a96d312")));
      out.writeEnum(4, 1);
      out.writeString(5, "Charge");
      out.writeFixed64(6, 1000);
      out.writeUInt64(7, 5);
      out.writeByteArray(8, message(e -> {
        e.writeString(1, "Checkout");
        e.writeBytes(3, ByteString.copyFrom(ipv6));
      }));
      out.writeByteArray(9, message(e -> {
        e.writeString(1, "payments");
        e.writeInt32(4, 443);
      }));
      out.writeByteArray(10, message(a -> {
        a.writeFixed64(1, 1002);
        a.writeString(2, "ws");
      }));
      out.writeByteArray(10, message(a -> {
        a.writeFixed64(1, 1004);
        a.writeString(2, "wr");
      }));
      out.writeByteArray(11, message(e -> {
        e.writeString(1, "error");
        e.writeString(2, "card declined");
      }));
      out.writeByteArray(11, message(e -> {
        e.writeString(1, "otel.scope.name");
        e.writeString(2, "grpc");
      }));
      out.writeByteArray(11, message(e -> {
        e.writeString(1, "otel.scope.version");
        e.writeString(2, "1.0");
      }));
      out.writeByteArray(11, message(e -> {
        e.writeString(1, "retries");
        e.writeString(2, "3");
      }));
      out.writeBool(12, true);
    });
    String json = "[{\"traceId\":\"463ac35c9f6413ad48485a3953bb6124\",\"id\":\"a2fb4a1d1a96d312\","
        + "\"kind\":\"CLIENT\",\"name\":\"Charge\",\"timestamp\":1000,\"duration\":5,"
        + "\"localEndpoint\":{\"serviceName\":\"Checkout\",\"ipv6\":\"2001:db8::c01\"},"
        + "\"remoteEndpoint\":{\"serviceName\":\"payments\",\"port\":443},"
        + "\"annotations\":[{\"timestamp\":1002,\"value\":\"ws\"},{\"timestamp\":1004,\"value\":\"wr\"}],"
        + "\"tags\":{\"error\":\"card declined\",\"otel.scope.name\":\"grpc\","
        + "\"otel.scope.version\":\"1.0\",\"retries\":\"3\"},\"debug\":true}]";

    Span span0 = ZipkinProto3Decoder.decode(message(out -> out.writeByteArray(1, span))).get(0);

    assertThat(span0).isEqualTo(ZipkinJsonDecoder.decode(bytes(json)).get(0));
    assertThat(span0.kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(span0.attributes().getString("network.local.address")).isEqualTo("2001:db8::c01");
  }

  @Test
  void formatsIpv6AddressesAsRfc5952() {
    assertThat(ZipkinProto3Decoder.ipv6(hex("00000000000000000000000000000001"))).isEqualTo("::1");
    assertThat(ZipkinProto3Decoder.ipv6(hex("fe800000000000000202b3fffe1e8329")))
        .isEqualTo("fe80::202:b3ff:fe1e:8329");
    assertThat(ZipkinProto3Decoder.ipv6(hex("20010db8000000010000000000000000")))
        .isEqualTo("2001:db8:0:1::");
    assertThat(ZipkinProto3Decoder.ipv6(hex("20010db8000100020003000400050006")))
        .isEqualTo("2001:db8:1:2:3:4:5:6");
  }

  @Test
  void emptyBodyIsNoSpans() {
    assertThat(ZipkinProto3Decoder.decode(new byte[0])).isEmpty();
  }

  @Test
  void errorsNameTheSpanAndField() throws IOException {
    byte[] good = message(out -> {
      out.writeBytes(1, ByteString.copyFrom(hex("5af7183fb1d4cf5f")));
      out.writeBytes(3, ByteString.copyFrom(hex("352bff9a74ca9ad2")));
    });
    assertError(list(good, message(out -> out.writeBytes(3, ByteString.copyFrom(hex("01"))))),
        "spans[1].id: must be 8 bytes, was 1");
    assertError(list(good, good, message(out -> out.writeBytes(1, ByteString.copyFrom(new byte[5])))),
        "spans[2].traceId: must be 8 or 16 bytes, was 5");
    assertError(list(message(out -> out.writeBytes(1, ByteString.copyFrom(new byte[8])))),
        "spans[0].traceId: must not be all zero");
    assertError(list(message(out -> out.writeBytes(1, ByteString.copyFrom(hex("01"
        + "00000000000000"))))), "spans[0].id: is required");
    assertError(list(message(out -> {
      out.writeBytes(1, ByteString.copyFrom(hex("5af7183fb1d4cf5f")));
      out.writeBytes(3, ByteString.copyFrom(hex("352bff9a74ca9ad2")));
      out.writeByteArray(8, message(e -> e.writeBytes(2, ByteString.copyFrom(new byte[3]))));
    })), "spans[0].localEndpoint.ipv4: must be 4 bytes, was 3");
    assertError(list(message(out -> out.writeUInt64(1, 7))),
        "spans[0].traceId: wire type 0 where 2 was expected");
    assertError(message(out -> out.writeString(2, "x")),
        "body: not a zipkin.proto3.ListOfSpans (unexpected field 2)");
    byte[] truncated = list(good);
    assertThatThrownBy(() -> ZipkinProto3Decoder.decode(truncated, 0, truncated.length - 3))
        .isInstanceOf(CodecException.class)
        .hasMessageStartingWith("spans[0]: not valid protobuf: ");
    assertThatThrownBy(() -> ZipkinProto3Decoder.decode(bytes("[{\"traceId\":\"1\"}]")))
        .isInstanceOf(CodecException.class);
  }

  private static void assertError(byte[] body, String message) {
    assertThatThrownBy(() -> ZipkinProto3Decoder.decode(body))
        .isInstanceOf(CodecException.class)
        .hasMessage(message);
  }

  private static byte[] list(byte[]... spans) throws IOException {
    return message(out -> {
      for (byte[] span : spans) out.writeByteArray(1, span);
    });
  }

  interface Fields {
    void write(CodedOutputStream out) throws IOException;
  }

  static byte[] message(Fields fields) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    fields.write(out);
    out.flush();
    return bytes.toByteArray();
  }

  static byte[] hex(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
