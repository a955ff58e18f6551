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
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The tracer's mutable span. Mutators lock the span and are ignored after {@link #end()}; the
 * ended span is handed to the processor and read only from then on.
 *
 * <p>The lock is a flag taken with one compare-and-set and released with a plain (release) store:
 * half the atomic instructions of a monitor, whose exit is a second compare-and-set, and a span
 * takes it once per recording call. Nothing that can block or call out (logging, the processor)
 * runs while it is held, and a thread that finds it taken spins briefly, then yields.
 */
public final class RecordingSpan implements Span, SpanData {
  private static final Logger LOG = Logger.getLogger(RecordingSpan.class.getName());
  private static final Event[] NO_EVENTS = new Event[0];
  private static final Link[] NO_LINKS = new Link[0];
  private static final int INITIAL_ATTRIBUTE_SLOTS = 8; // four attributes
  private static final VarHandle LOCK;

  static {
    try {
      LOCK = MethodHandles.lookup().findVarHandle(RecordingSpan.class, "lock", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final TracerSharedState state;
  private final InstrumentationScope scope;
  private final SpanContext context;
  private static final SpanKind[] KINDS = SpanKind.values();

  private final long parentSpanId;
  private final byte kind; // the ordinal: with the flag next to it, the span stays at 112 bytes
  private final boolean remoteParent;
  private final long startEpochNanos;
  private final long startNanoTime; // 0 when the start time was given explicitly

  private String name;
  // key0, value0, key1, value1, ...: one array, null until the first attribute
  private Object[] attributes;
  private int attributeCount;
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
  @SuppressWarnings("unused") // through LOCK
  private volatile int lock; // 1 while a thread holds the span's lock

  /**
   * Starts a span at {@code startEpochNanos}. {@code startNanoTime} is the {@link
   * System#nanoTime()} reading that time was taken from, against which the span's later times are
   * measured, or 0 when the start time was given explicitly. Attributes and links given at the
   * start are added with {@link #takeAttributes} and {@link #takeLinks} before the span is
   * published.
   *
   * <p>Only plain field stores: a constructor that reads nothing keeps the stores into the new
   * object free of GC write barriers once inlined into the allocating method, and small enough to
   * be inlined.
   */
  public RecordingSpan(
      TracerSharedState state, InstrumentationScope scope, SpanContext context,
      long parentSpanId, boolean parentRemote, String name, SpanKind kind,
      long startEpochNanos, long startNanoTime) {
    this.state = state;
    this.scope = scope;
    this.context = context;
    this.parentSpanId = parentSpanId;
    this.kind = (byte) kind.ordinal();
    this.remoteParent = parentRemote;
    this.name = name;
    this.startEpochNanos = startEpochNanos;
    this.startNanoTime = startNanoTime;
  }

  /**
   * Takes over {@code attributes} (key0, value0, key1, ...; normalized), applying the limits.
   * Only before the span is published.
   */
  public void takeAttributes(Object[] attributes, int count) {
    SpanLimits limits = state.limits;
    int max = limits.maxAttributes();
    if (count > max) {
      droppedAttributes = count - max;
      count = max;
      Arrays.fill(attributes, 2 * count, attributes.length, null);
    }
    int maxLength = limits.maxAttributeValueLength();
    if (maxLength != Integer.MAX_VALUE) {
      for (int i = 1; i < 2 * count; i += 2) {
        attributes[i] = AttributeValues.truncate(attributes[i], maxLength);
      }
    }
    this.attributes = attributes;
    this.attributeCount = count;
  }

  /** Takes the links given at the start, applying the limits. Only before the span is published. */
  public void takeLinks(List<Link> links) {
    SpanLimits limits = state.limits;
    int n = Math.min(limits.maxLinks(), links.size());
    this.droppedLinks = links.size() - n;
    this.links = new Link[n];
    for (int i = 0; i < n; i++) {
      this.links[i] = limitLink(links.get(i), limits);
    }
    this.linkCount = n;
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

  // ---- the lock

  private void lock() {
    if (!LOCK.compareAndSet(this, 0, 1)) {
      lockContended();
    }
  }

  private void lockContended() {
    for (int spins = 0; ; spins++) {
      if (lock == 0 && LOCK.compareAndSet(this, 0, 1)) {
        return;
      }
      if (spins < 100) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
  }

  private void unlock() {
    LOCK.setRelease(this, 0);
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
    if (isInvalidKey(key) || value == null) {
      return ignoredAttribute();
    }
    return put(key, value);
  }

  @Override
  public Span setAttribute(String key, long value) {
    if (isInvalidKey(key)) {
      return ignoredAttribute();
    }
    return put(key, value);
  }

  @Override
  public Span setAttribute(String key, double value) {
    if (isInvalidKey(key)) {
      return ignoredAttribute();
    }
    return put(key, value);
  }

  @Override
  public Span setAttribute(String key, boolean value) {
    if (isInvalidKey(key)) {
      return ignoredAttribute();
    }
    return put(key, value);
  }

  @Override
  public Span setAttribute(String key, String[] values) {
    return values == null ? this : checkedPut(key, AttributeValues.list(values));
  }

  @Override
  public Span setAttribute(String key, long[] values) {
    return values == null ? this : checkedPut(key, AttributeValues.list(values));
  }

  @Override
  public Span setAttribute(String key, double[] values) {
    return values == null ? this : checkedPut(key, AttributeValues.list(values));
  }

  @Override
  public Span setAttribute(String key, boolean[] values) {
    return values == null ? this : checkedPut(key, AttributeValues.list(values));
  }

  @Override
  public Span setAllAttributes(Attributes attributes) {
    if (attributes != null) {
      for (int i = 0; i < attributes.size(); i++) {
        checkedPut(attributes.key(i), attributes.value(i));
      }
    }
    return this;
  }

  private Span checkedPut(String key, Object value) {
    if (isInvalidKey(key) || value == null) {
      return ignoredAttribute();
    }
    return put(key, value);
  }

  private static boolean isInvalidKey(String key) {
    return key == null || key.isEmpty();
  }

  private Span ignoredAttribute() {
    LOG.log(Level.FINE, "ignored attribute with a null or empty key or null value");
    return this;
  }

  /** Sets {@code key} (valid) to {@code value} (normalized, not null). */
  private Span put(String key, Object value) {
    boolean ended;
    lock();
    try {
      ended = endEpochNanos != 0L;
      if (!ended) {
        putLocked(key, value);
      }
    } finally {
      unlock();
    }
    if (ended) {
      ignoredAfterEnd("attribute", key);
    }
    return this;
  }

  private void putLocked(String key, Object value) {
    Object[] a = attributes;
    int n = attributeCount;
    if (n > 0) {
      int i = indexOfKey(a, n, key);
      if (i >= 0) {
        a[i + 1] = limitLength(value);
        return;
      }
    }
    if (n >= state.limits.maxAttributes()) {
      droppedAttributes++;
      return;
    }
    if (a == null || 2 * n == a.length) {
      a = growAttributes(a, n);
    }
    a[2 * n] = key;
    a[2 * n + 1] = limitLength(value);
    attributeCount = n + 1;
  }

  /**
   * The index of {@code key} in {@code a} (key0, value0, ...), or -1. Keys are compared by
   * identity, then by length before equals: distinct keys, the common case, mostly differ in
   * length.
   */
  private static int indexOfKey(Object[] a, int n, String key) {
    int length = key.length();
    for (int i = 0; i < 2 * n; i += 2) {
      String k = (String) a[i];
      if (k == key || (k.length() == length && k.equals(key))) {
        return i;
      }
    }
    return -1;
  }

  private Object[] growAttributes(Object[] a, int n) {
    if (a == null) {
      a = new Object[INITIAL_ATTRIBUTE_SLOTS];
    } else {
      int max = Math.max(state.limits.maxAttributes(), 1);
      a = Arrays.copyOf(a, 2 * Math.min(n * 2, max));
    }
    attributes = a;
    return a;
  }

  private Object limitLength(Object value) {
    int maxLength = state.limits.maxAttributeValueLength();
    return maxLength == Integer.MAX_VALUE ? value : AttributeValues.truncate(value, maxLength);
  }

  private void ignoredAfterEnd(String what, String name) {
    LOG.log(Level.FINE, "ignored {0} {1} set after the span ended", new Object[] {what, name});
  }

  @Override
  public Span addEvent(String name) {
    if (name == null) {
      return ignoredEvent();
    }
    return add(Event.create(name, nowEpochNanos(), Attributes.empty(), 0));
  }

  @Override
  public Span addEvent(String name, Attributes attributes) {
    return addEvent(name, attributes, 0L);
  }

  @Override
  public Span addEvent(String name, Attributes attributes, long epochNanos) {
    if (name == null) {
      return ignoredEvent();
    }
    if (attributes == null) {
      attributes = Attributes.empty();
    }
    long time = epochNanos != 0L ? epochNanos : nowEpochNanos();
    SpanLimits limits = state.limits;
    Attributes limited = attributes.limit(limits.maxAttributesPerEvent(), limits.maxAttributeValueLength());
    return add(Event.create(name, time, limited, attributes.size() - limited.size()));
  }

  private Span ignoredEvent() {
    LOG.log(Level.FINE, "ignored event with a null name");
    return this;
  }

  /** Adds {@code event}, whose attributes are within the limits. */
  private Span add(Event event) {
    boolean ended;
    lock();
    try {
      ended = endEpochNanos != 0L;
      if (!ended) {
        addLocked(event);
      }
    } finally {
      unlock();
    }
    if (ended) {
      ignoredAfterEnd("event", event.name());
    }
    return this;
  }

  private void addLocked(Event event) {
    int n = eventCount;
    int max = state.limits.maxEvents();
    if (n >= max) {
      droppedEvents++;
      return;
    }
    Event[] e = events;
    if (n == e.length) {
      e = Arrays.copyOf(e, Math.min(Math.max(2, n * 2), max));
      events = e;
    }
    e[n] = event;
    eventCount = n + 1;
  }

  @Override
  public Span addLink(SpanContext linked, Attributes attributes) {
    if (linked == null || !linked.isValid()) {
      return this;
    }
    Link link = limitLink(new Link(linked, attributes == null ? Attributes.empty() : attributes, 0),
        state.limits);
    lock();
    try {
      if (endEpochNanos != 0L) {
        return this;
      }
      int max = state.limits.maxLinks();
      if (linkCount >= max) {
        droppedLinks++;
        return this;
      }
      if (linkCount == links.length) {
        links = Arrays.copyOf(links, Math.min(Math.max(2, linkCount * 2), max));
      }
      links[linkCount++] = link;
    } finally {
      unlock();
    }
    return this;
  }

  @Override
  public Span setStatus(StatusCode code, String description) {
    if (code == null) {
      return this;
    }
    lock();
    try {
      if (endEpochNanos != 0L || statusCode == StatusCode.OK) {
        return this;
      }
      statusCode = code;
      statusDescription = code == StatusCode.ERROR ? description : null;
    } finally {
      unlock();
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
      return add(event);
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "could not record exception", e);
      return this;
    }
  }

  @Override
  public Span updateName(String name) {
    if (name != null) {
      lock();
      try {
        if (endEpochNanos == 0L) {
          this.name = name;
        }
      } finally {
        unlock();
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
    long end = epochNanos != 0L ? epochNanos : nowEpochNanos();
    boolean first;
    lock();
    try {
      first = endEpochNanos == 0L;
      if (first) {
        endEpochNanos = end == 0L ? 1L : end;
      }
    } finally {
      unlock();
    }
    if (!first) {
      LOG.log(Level.FINE, "span {0} ended twice; ignored", name);
      return;
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
  public boolean hasEnded() {
    return endEpochNanos() != 0L;
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
    return remoteParent;
  }

  @Override
  public String name() {
    lock();
    try {
      return name;
    } finally {
      unlock();
    }
  }

  @Override
  public SpanKind kind() {
    return KINDS[kind];
  }

  @Override
  public long startEpochNanos() {
    return startEpochNanos;
  }

  @Override
  public long endEpochNanos() {
    lock();
    try {
      return endEpochNanos;
    } finally {
      unlock();
    }
  }

  @Override
  public Attributes attributes() {
    Attributes.Builder b = Attributes.builder();
    lock();
    try {
      for (int i = 0; i < attributeCount; i++) {
        b.putObject((String) attributes[2 * i], attributes[2 * i + 1]);
      }
    } finally {
      unlock();
    }
    return b.build();
  }

  /** Number of attributes, without building an {@link Attributes}. */
  public int attributeCount() {
    return attributeCount;
  }

  public String attributeKey(int i) {
    return (String) attributes[2 * i];
  }

  public Object attributeValue(int i) {
    return attributes[2 * i + 1];
  }

  @Override
  public int droppedAttributesCount() {
    return droppedAttributes;
  }

  @Override
  public List<Event> events() {
    Event[] copy;
    lock();
    try {
      copy = eventCount == 0 ? null : Arrays.copyOf(events, eventCount);
    } finally {
      unlock();
    }
    return copy == null ? Collections.emptyList() : Collections.unmodifiableList(Arrays.asList(copy));
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
  public List<Link> links() {
    Link[] copy;
    lock();
    try {
      copy = linkCount == 0 ? null : Arrays.copyOf(links, linkCount);
    } finally {
      unlock();
    }
    return copy == null ? Collections.emptyList() : Collections.unmodifiableList(Arrays.asList(copy));
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
  public StatusCode statusCode() {
    lock();
    try {
      return statusCode;
    } finally {
      unlock();
    }
  }

  @Override
  public String statusDescription() {
    lock();
    try {
      return statusDescription;
    } finally {
      unlock();
    }
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
