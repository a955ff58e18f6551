package dev.spanwise.codec.otlp;

import com.google.protobuf.ByteString;
import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Attributes;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import java.util.ArrayList;
import java.util.List;

/** Typed attribute values between OTLP's {@code AnyValue}/{@code KeyValue} and the model. */
final class OtlpAttributes {

  /**
   * The model's attributes for OTLP key-values. A key whose value is empty (OTLP's null) is left
   * out, since the model has no null value; a repeated key keeps its last value.
   */
  static Attributes toModel(List<KeyValue> keyValues) {
    if (keyValues.isEmpty()) return Attributes.EMPTY;
    Attributes.Builder b = Attributes.builder();
    for (int i = 0, n = keyValues.size(); i < n; i++) {
      KeyValue kv = keyValues.get(i);
      AttributeValue v = toModel(kv.getValue());
      if (v != null) b.put(kv.getKey(), v);
    }
    return b.build();
  }

  /** The model value, or null for an empty {@code AnyValue}. */
  static AttributeValue toModel(AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE:
        return AttributeValue.of(value.getStringValue());
      case BOOL_VALUE:
        return AttributeValue.of(value.getBoolValue());
      case INT_VALUE:
        return AttributeValue.of(value.getIntValue());
      case DOUBLE_VALUE:
        return AttributeValue.of(value.getDoubleValue());
      case BYTES_VALUE:
        return AttributeValue.ofBytes(value.getBytesValue().toByteArray());
      case ARRAY_VALUE: {
        List<AnyValue> in = value.getArrayValue().getValuesList();
        List<AttributeValue> out = new ArrayList<>(in.size());
        for (AnyValue element : in) {
          AttributeValue v = toModel(element);
          if (v != null) out.add(v);
        }
        return AttributeValue.ofArray(out);
      }
      case KVLIST_VALUE:
        return AttributeValue.ofMap(toModel(value.getKvlistValue().getValuesList()));
      default:
        return null;
    }
  }

  static void addTo(Attributes attributes, AttributesSink sink) {
    for (int i = 0, n = attributes.size(); i < n; i++) {
      sink.add(toProto(attributes.key(i), attributes.value(i)));
    }
  }

  static KeyValue toProto(String key, AttributeValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(toProto(value)).build();
  }

  static AnyValue toProto(AttributeValue value) {
    AnyValue.Builder b = AnyValue.newBuilder();
    switch (value.type()) {
      case STRING:
        return b.setStringValue(value.stringValue()).build();
      case BOOLEAN:
        return b.setBoolValue(value.booleanValue()).build();
      case LONG:
        return b.setIntValue(value.longValue()).build();
      case DOUBLE:
        return b.setDoubleValue(value.doubleValue()).build();
      case BYTES:
        return b.setBytesValue(ByteString.copyFrom(value.bytesValue())).build();
      case ARRAY: {
        ArrayValue.Builder array = ArrayValue.newBuilder();
        for (AttributeValue element : value.arrayValue()) array.addValues(toProto(element));
        return b.setArrayValue(array).build();
      }
      case MAP: {
        KeyValueList.Builder list = KeyValueList.newBuilder();
        addTo(value.mapValue(), list::addValues);
        return b.setKvlistValue(list).build();
      }
      default:
        throw new AssertionError(value.type());
    }
  }

  /** Where converted key-values go (a generated builder's {@code addAttributes}). */
  interface AttributesSink {
    void add(KeyValue keyValue);
  }

  private OtlpAttributes() {}
}
