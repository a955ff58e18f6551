package dev.spanwise.tracer.export;

import java.util.Collection;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Logs one line per span through {@code java.util.logging} at INFO, for debugging. */
public final class LoggingSpanExporter implements SpanExporter {
  private static final Logger LOG = Logger.getLogger(LoggingSpanExporter.class.getName());

  public static LoggingSpanExporter create() {
    return new LoggingSpanExporter();
  }

  @Override
  public ExportResult export(Collection<SpanData> spans) {
    for (SpanData span : spans) {
      if (LOG.isLoggable(Level.INFO)) {
        LOG.info(format(span));
      }
    }
    return ExportResult.SUCCESS;
  }

  static String format(SpanData span) {
    StringBuilder sb = new StringBuilder(256);
    sb.append('\'').append(span.name()).append("' : ").append(span.traceId()).append(' ')
        .append(span.spanId());
    if (span.parentSpanId() != 0L) {
      sb.append(" parent=").append(span.parentSpanIdHex());
    }
    sb.append(' ').append(span.kind())
        .append(" service=").append(span.resource().serviceName())
        .append(" duration=").append((span.endEpochNanos() - span.startEpochNanos()) / 1000).append("us")
        .append(" status=").append(span.statusCode());
    if (span.statusDescription() != null) {
      sb.append('(').append(span.statusDescription()).append(')');
    }
    sb.append(" attributes=").append(span.attributes());
    if (!span.events().isEmpty()) {
      sb.append(" events=").append(span.events());
    }
    return sb.toString();
  }
}
