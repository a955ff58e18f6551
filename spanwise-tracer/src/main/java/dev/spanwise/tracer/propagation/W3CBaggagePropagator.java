package dev.spanwise.tracer.propagation;

import dev.spanwise.tracer.Baggage;
import dev.spanwise.tracer.Context;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;

/**
 * W3C Baggage: {@code key=value;property, ...}. Values are percent-decoded on extraction and
 * percent-encoded on injection; properties are kept verbatim as the entry's metadata. At most
 * {@value #MAX_MEMBERS} members and {@value #MAX_BYTES} bytes are propagated; invalid members are
 * skipped.
 */
final class W3CBaggagePropagator implements TextMapPropagator {
  static final W3CBaggagePropagator INSTANCE = new W3CBaggagePropagator();
  static final String FIELD = "baggage";
  static final int MAX_MEMBERS = 180;
  static final int MAX_BYTES = 8192;
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private W3CBaggagePropagator() {}

  @Override
  public Collection<String> fields() {
    return Collections.singletonList(FIELD);
  }

  @Override
  public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    if (context == null || setter == null) {
      return;
    }
    Baggage baggage = context.baggage();
    if (baggage.isEmpty()) {
      return;
    }
    StringBuilder header = new StringBuilder();
    int members = 0;
    for (int i = 0; i < baggage.size(); i++) {
      String key = baggage.key(i);
      if (!isToken(key, 0, key.length())) {
        continue;
      }
      StringBuilder member = new StringBuilder(key.length() + 16).append(key).append('=');
      percentEncode(baggage.value(i), member);
      String metadata = baggage.metadata(i);
      if (metadata != null && !metadata.isEmpty()) {
        member.append(';').append(metadata);
      }
      int extra = member.length() + (header.length() == 0 ? 0 : 1);
      if (members >= MAX_MEMBERS || header.length() + extra > MAX_BYTES) {
        break;
      }
      if (header.length() > 0) {
        header.append(',');
      }
      header.append(member);
      members++;
    }
    if (header.length() > 0) {
      setter.set(carrier, FIELD, header.toString());
    }
  }

  @Override
  public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
    if (context == null) {
      context = Context.root();
    }
    if (carrier == null || getter == null) {
      return context;
    }
    try {
      Iterator<String> values = getter.getAll(carrier, FIELD);
      if (values == null) {
        String single = getter.get(carrier, FIELD);
        if (single == null) {
          return context;
        }
        values = Collections.singletonList(single).iterator();
      }
      if (!values.hasNext()) {
        return context;
      }
      Baggage baggage = context.baggage();
      int members = 0;
      int bytes = 0;
      while (values.hasNext()) {
        String header = values.next();
        if (header == null) {
          continue;
        }
        bytes += header.length();
        if (bytes > MAX_BYTES) {
          break;
        }
        for (String member : header.split(",", -1)) {
          if (members >= MAX_MEMBERS) {
            break;
          }
          Baggage next = parseMember(member, baggage);
          if (next != null) {
            baggage = next;
            members++;
          }
        }
      }
      return baggage == context.baggage() ? context : context.with(baggage);
    } catch (RuntimeException e) {
      return context;
    }
  }

  /** {@code baggage} with the member added, or null when the member is invalid. */
  static Baggage parseMember(String member, Baggage baggage) {
    int semicolon = member.indexOf(';');
    String keyValue = semicolon < 0 ? member : member.substring(0, semicolon);
    String metadata = semicolon < 0 ? null : member.substring(semicolon + 1).trim();
    int eq = keyValue.indexOf('=');
    if (eq < 0) {
      return null;
    }
    String key = keyValue.substring(0, eq).trim();
    String rawValue = keyValue.substring(eq + 1).trim();
    if (key.isEmpty() || !isToken(key, 0, key.length()) || !isBaggageValue(rawValue)) {
      return null;
    }
    String value = percentDecode(rawValue);
    if (value == null) {
      return null;
    }
    return baggage.with(key, value, metadata == null || metadata.isEmpty() ? null : metadata);
  }

  /** RFC 7230 token characters. */
  static boolean isToken(String s, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** baggage-octet: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E. */
  private static boolean isBaggageOctet(char c) {
    return c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a)
        || (c >= 0x3c && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
  }

  private static boolean isBaggageValue(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!isBaggageOctet(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static void percentEncode(String value, StringBuilder out) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c < 0x80 && isBaggageOctet((char) c) && c != '%') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
  }

  /** Decodes {@code %XX} sequences as UTF-8; null when a sequence is malformed. */
  static String percentDecode(String value) {
    if (value.indexOf('%') < 0) {
      return value;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%') {
        if (i + 2 >= value.length()) {
          return null;
        }
        int hi = Character.digit(value.charAt(i + 1), 16);
        int lo = Character.digit(value.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        out.write(c);
      }
    }
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "W3CBaggagePropagator";
  }
}
