package dev.spanwise.tracer.internal;

import dev.spanwise.tracer.Attributes;
import dev.spanwise.tracer.Event;
import dev.spanwise.tracer.InstrumentationScope;
import dev.spanwise.tracer.Link;
import dev.spanwise.tracer.Resource;
import dev.spanwise.tracer.Span;
import dev.spanwise.tracer.SpanContext;
import dev.spanwise.tracer.SpanKind;
import dev.spanwise.tracer.SpanLimits;
import dev.spanwise.tracer.StatusCode;
import dev.spanwise.tracer.export.SpanData;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The tracer's mutable span. Mutators lock the span and are ignored after {@link #end()}; the
 * ended span is handed to the processor and read only from then on.
 */
public final class RecordingSpan implements Span, SpanData {
  private static final Logger LOG = Logger.getLogger(RecordingSpan.class.getName());
  private static final Event[] NO_EVENTS = new Event[0];
  private static final Link[] NO_LINKS = new Link[0];

  private final TracerSharedState state;
  private final InstrumentationScope scope;
  private final SpanContext context;
  private static final SpanKind[] KINDS = SpanKind.values();
  private static final int REMOTE_PARENT = 0x10;

  private final long parentSpanId;
  private final byte kindAndRemote; // kind ordinal, plus REMOTE_PARENT: keeps the span at 112 bytes
  private final long startEpochNanos;
  private final long startNanoTime; // 0 when the start time was given explicitly

  private String name;
  private String[] attrKeys;
  private Object[] attrValues;
  private int attrCount;
  private int droppedAttributes;
  private Event[] events = NO_EVENTS;
  private int eventCount;
  private int droppedEvents;
  private Link[] links = NO_LINKS;
  private int linkCount;
  private int droppedLinks;
  private StatusCode statusCode = StatusCode.UNSET;
  private String statusDescription;
  private long endEpochNanos; // 0 until ended

  /**
   * Starts a span. {@code attrKeys}/{@code attrValues} (may be null) and {@code links} (may be
   * null) are taken over, not copied; limits are applied here.
   */
  public RecordingSpan(
      TracerSharedState state, InstrumentationScope scope, SpanContext context,
      long parentSpanId, boolean parentRemote, String name, SpanKind kind,
      long startEpochNanos, String[] attrKeys, Object[] attrValues, int attrCount,
      List<Link> links, int droppedLinks) {
    this.state = state;
    this.scope = scope;
    this.context = context;
    this.parentSpanId = parentSpanId;
    this.kindAndRemote = (byte) (kind.ordinal() | (parentRemote ? REMOTE_PARENT : 0));
    this.name = name;
    long now = System.nanoTime();
    if (startEpochNanos == 0L) {
      this.startNanoTime = now == 0L ? 1L : now;
      this.startEpochNanos = state.clock.epochNanos(now);
    } else {
      this.startNanoTime = 0L;
      this.startEpochNanos = startEpochNanos;
    }
    SpanLimits limits = state.limits;
    if (attrCount > 0) {
      int max = limits.maxAttributes();
      if (attrCount > max) {
        droppedAttributes = attrCount - max;
        attrCount = max;
      }
      int maxLength = limits.maxAttributeValueLength();
      if (maxLength != Integer.MAX_VALUE) {
        for (int i = 0; i < attrCount; i++) {
          attrValues[i] = AttributeValues.truncate(attrValues[i], maxLength);
        }
      }
      this.attrKeys = attrKeys;
      this.attrValues = attrValues;
      this.attrCount = attrCount;
    }
    this.droppedLinks = droppedLinks;
    if (links != null && !links.isEmpty()) {
      int max = limits.maxLinks();
      int n = Math.min(max, links.size());
      this.droppedLinks += links.size() - n;
      this.links = new Link[n];
      for (int i = 0; i < n; i++) {
        this.links[i] = limitLink(links.get(i), limits);
      }
      this.linkCount = n;
    }
  }

  private static Link limitLink(Link link, SpanLimits limits) {
    Attributes attributes = link.attributes();
    Attributes limited = attributes.limit(limits.maxAttributesPerLink(), limits.maxAttributeValueLength());
    if (limited == attributes) {
      return link;
    }
    return new Link(link.spanContext(), limited,
        link.droppedAttributesCount() + attributes.size() - limited.size());
  }

  // ---- Span

  @Override
  public SpanContext context() {
    return context;
  }

  @Override
  public boolean isRecording() {
    return true;
  }

  @Override
  public Span setAttribute(String key, String value) {
    return put(key, value);
  }

  @Override
  public Span setAttribute(String key, long value) {
    return put(key, value);
  }

  @Override
  public Span setAttribute(String key, double value) {
    return put(key, value);
  }

  @Override
  public Span setAttribute(String key, boolean value) {
    return put(key, value);
  }

  @Override
  public Span setAttribute(String key, String[] values) {
    return values == null ? this : put(key, AttributeValues.list(values));
  }

  @Override
  public Span setAttribute(String key, long[] values) {
    return values == null ? this : put(key, AttributeValues.list(values));
  }

  @Override
  public Span setAttribute(String key, double[] values) {
    return values == null ? this : put(key, AttributeValues.list(values));
  }

  @Override
  public Span setAttribute(String key, boolean[] values) {
    return values == null ? this : put(key, AttributeValues.list(values));
  }

  @Override
  public Span setAllAttributes(Attributes attributes) {
    if (attributes != null) {
      for (int i = 0; i < attributes.size(); i++) {
        put(attributes.key(i), attributes.value(i));
      }
    }
    return this;
  }

  private Span put(String key, Object value) {
    if (key == null || key.isEmpty() || value == null) {
      LOG.log(Level.FINE, "ignored attribute with a null or empty key or null value");
      return this;
    }
    synchronized (this) {
      if (endEpochNanos != 0L) {
        LOG.log(Level.FINE, "ignored attribute {0} set after the span ended", key);
        return this;
      }
      for (int i = 0; i < attrCount; i++) {
        if (attrKeys[i].equals(key)) {
          attrValues[i] = AttributeValues.truncate(value, state.limits.maxAttributeValueLength());
          return this;
        }
      }
      if (attrCount >= state.limits.maxAttributes()) {
        droppedAttributes++;
        return this;
      }
      if (attrKeys == null) {
        attrKeys = new String[8];
        attrValues = new Object[8];
      } else if (attrCount == attrKeys.length) {
        int newLength = Math.min(attrCount * 2, Math.max(state.limits.maxAttributes(), 1));
        attrKeys = Arrays.copyOf(attrKeys, newLength);
        attrValues = Arrays.copyOf(attrValues, newLength);
      }
      attrKeys[attrCount] = key;
      attrValues[attrCount] = AttributeValues.truncate(value, state.limits.maxAttributeValueLength());
      attrCount++;
    }
    return this;
  }

  @Override
  public Span addEvent(String name) {
    return addEvent(name, Attributes.empty(), 0L);
  }

  @Override
  public Span addEvent(String name, Attributes attributes) {
    return addEvent(name, attributes, 0L);
  }

  @Override
  public Span addEvent(String name, Attributes attributes, long epochNanos) {
    if (name == null) {
      LOG.log(Level.FINE, "ignored event with a null name");
      return this;
    }
    if (attributes == null) {
      attributes = Attributes.empty();
    }
    long time = epochNanos != 0L ? epochNanos : nowEpochNanos();
    SpanLimits limits = state.limits;
    Attributes limited = attributes.limit(limits.maxAttributesPerEvent(), limits.maxAttributeValueLength());
    return addLimitedEvent(Event.create(name, time, limited, attributes.size() - limited.size()));
  }

  private Span addLimitedEvent(Event event) {
    SpanLimits limits = state.limits;
    synchronized (this) {
      if (endEpochNanos != 0L) {
        LOG.log(Level.FINE, "ignored event {0} added after the span ended", event.name());
        return this;
      }
      if (eventCount >= limits.maxEvents()) {
        droppedEvents++;
        return this;
      }
      if (eventCount == events.length) {
        events = Arrays.copyOf(events, Math.min(Math.max(2, eventCount * 2), Math.max(1, limits.maxEvents())));
      }
      events[eventCount++] = event;
    }
    return this;
  }

  @Override
  public Span addLink(SpanContext linked, Attributes attributes) {
    if (linked == null || !linked.isValid()) {
      return this;
    }
    Link link = limitLink(new Link(linked, attributes == null ? Attributes.empty() : attributes, 0),
        state.limits);
    synchronized (this) {
      if (endEpochNanos != 0L) {
        return this;
      }
      if (linkCount >= state.limits.maxLinks()) {
        droppedLinks++;
        return this;
      }
      if (linkCount == links.length) {
        links = Arrays.copyOf(links, Math.min(Math.max(2, linkCount * 2), Math.max(1, state.limits.maxLinks())));
      }
      links[linkCount++] = link;
    }
    return this;
  }

  @Override
  public Span setStatus(StatusCode code, String description) {
    if (code == null) {
      return this;
    }
    synchronized (this) {
      if (endEpochNanos != 0L || statusCode == StatusCode.OK) {
        return this;
      }
      statusCode = code;
      statusDescription = code == StatusCode.ERROR ? description : null;
    }
    return this;
  }

  @Override
  public Span recordException(Throwable exception) {
    return recordException(exception, Attributes.empty());
  }

  @Override
  public Span recordException(Throwable exception, Attributes additionalAttributes) {
    if (exception == null) {
      return this;
    }
    try {
      Attributes.Builder b = Attributes.builder();
      b.put("exception.type", exception.getClass().getName());
      String message = exception.getMessage();
      if (message != null) {
        b.put("exception.message", message);
      }
      if (additionalAttributes != null) {
        b.putAll(additionalAttributes);
      }
      Attributes attributes = b.build();
      SpanLimits limits = state.limits;
      // the stack trace, rendered later on the exporter's thread, takes one attribute slot
      int room = limits.maxAttributesPerEvent() - 1;
      Attributes limited = attributes.limit(Math.max(0, room), limits.maxAttributeValueLength());
      int dropped = attributes.size() - limited.size();
      Event event;
      if (room >= 0) {
        event = Event.withStackTrace("exception", nowEpochNanos(), limited, dropped, exception,
            limits.maxAttributeValueLength());
      } else {
        event = Event.create("exception", nowEpochNanos(), limited, dropped + 1);
      }
      addLimitedEvent(event);
      return this;
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "could not record exception", e);
      return this;
    }
  }

  @Override
  public Span updateName(String name) {
    if (name != null) {
      synchronized (this) {
        if (endEpochNanos == 0L) {
          this.name = name;
        }
      }
    }
    return this;
  }

  @Override
  public void end() {
    endAt(0L);
  }

  @Override
  public void end(long epochNanos) {
    endAt(epochNanos);
  }

  private void endAt(long epochNanos) {
    synchronized (this) {
      if (endEpochNanos != 0L) {
        LOG.log(Level.FINE, "span {0} ended twice; ignored", name);
        return;
      }
      long end = epochNanos != 0L ? epochNanos : nowEpochNanos();
      endEpochNanos = end == 0L ? 1L : end;
    }
    if (context.isSampled()) {
      try {
        state.processor.onEnd(this);
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "span processor failed", e);
      }
    }
  }

  private long nowEpochNanos() {
    long now = System.nanoTime();
    if (startNanoTime != 0L) {
      return startEpochNanos + (now - startNanoTime);
    }
    return state.clock.epochNanos(now);
  }

  /** True once ended. */
  public synchronized boolean hasEnded() {
    return endEpochNanos != 0L;
  }

  // ---- SpanData (read after end)

  @Override
  public SpanContext spanContext() {
    return context;
  }

  @Override
  public long parentSpanId() {
    return parentSpanId;
  }

  @Override
  public boolean hasRemoteParent() {
    return (kindAndRemote & REMOTE_PARENT) != 0;
  }

  @Override
  public synchronized String name() {
    return name;
  }

  @Override
  public SpanKind kind() {
    return KINDS[kindAndRemote & 0x0f];
  }

  @Override
  public long startEpochNanos() {
    return startEpochNanos;
  }

  @Override
  public synchronized long endEpochNanos() {
    return endEpochNanos;
  }

  @Override
  public synchronized Attributes attributes() {
    Attributes.Builder b = Attributes.builder();
    for (int i = 0; i < attrCount; i++) {
      b.putObject(attrKeys[i], attrValues[i]);
    }
    return b.build();
  }

  /** Number of attributes, without building an {@link Attributes}. */
  public int attributeCount() {
    return attrCount;
  }

  public String attributeKey(int i) {
    return attrKeys[i];
  }

  public Object attributeValue(int i) {
    return attrValues[i];
  }

  @Override
  public int droppedAttributesCount() {
    return droppedAttributes;
  }

  @Override
  public synchronized List<Event> events() {
    return eventCount == 0 ? Collections.emptyList()
        : Collections.unmodifiableList(Arrays.asList(Arrays.copyOf(events, eventCount)));
  }

  /** Number of events, without building a list. */
  public int eventCount() {
    return eventCount;
  }

  public Event event(int i) {
    return events[i];
  }

  @Override
  public int droppedEventsCount() {
    return droppedEvents;
  }

  @Override
  public synchronized List<Link> links() {
    return linkCount == 0 ? Collections.emptyList()
        : Collections.unmodifiableList(Arrays.asList(Arrays.copyOf(links, linkCount)));
  }

  public int linkCount() {
    return linkCount;
  }

  public Link link(int i) {
    return links[i];
  }

  @Override
  public int droppedLinksCount() {
    return droppedLinks;
  }

  @Override
  public synchronized StatusCode statusCode() {
    return statusCode;
  }

  @Override
  public synchronized String statusDescription() {
    return statusDescription;
  }

  @Override
  public Resource resource() {
    return state.resource;
  }

  @Override
  public InstrumentationScope instrumentationScope() {
    return scope;
  }

  @Override
  public String toString() {
    return "RecordingSpan{" + name + ", " + context + "}";
  }
}
