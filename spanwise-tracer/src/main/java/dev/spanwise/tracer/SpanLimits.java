package dev.spanwise.tracer;

/**
 * Span limits as in the OpenTelemetry SDK specification: 128 attributes, events and links by
 * default, 128 attributes per event and link, and no value-length limit. What a limit cuts is
 * counted in the span's dropped counts.
 */
public final class SpanLimits {
  private static final SpanLimits DEFAULT = builder().build();

  private final int maxAttributes;
  private final int maxEvents;
  private final int maxLinks;
  private final int maxAttributesPerEvent;
  private final int maxAttributesPerLink;
  private final int maxAttributeValueLength;

  private SpanLimits(Builder b) {
    this.maxAttributes = b.maxAttributes;
    this.maxEvents = b.maxEvents;
    this.maxLinks = b.maxLinks;
    this.maxAttributesPerEvent = b.maxAttributesPerEvent;
    this.maxAttributesPerLink = b.maxAttributesPerLink;
    this.maxAttributeValueLength = b.maxAttributeValueLength;
  }

  public static SpanLimits defaults() {
    return DEFAULT;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int maxAttributes() {
    return maxAttributes;
  }

  public int maxEvents() {
    return maxEvents;
  }

  public int maxLinks() {
    return maxLinks;
  }

  public int maxAttributesPerEvent() {
    return maxAttributesPerEvent;
  }

  public int maxAttributesPerLink() {
    return maxAttributesPerLink;
  }

  /** {@code Integer.MAX_VALUE} when unlimited. */
  public int maxAttributeValueLength() {
    return maxAttributeValueLength;
  }

  @Override
  public String toString() {
    return "SpanLimits{attributes=" + maxAttributes + ", events=" + maxEvents + ", links="
        + maxLinks + ", attributesPerEvent=" + maxAttributesPerEvent + ", attributesPerLink="
        + maxAttributesPerLink + ", valueLength=" + maxAttributeValueLength + "}";
  }

  /** Builds {@link SpanLimits}; each setter rejects negative values naming the field. */
  public static final class Builder {
    private int maxAttributes = 128;
    private int maxEvents = 128;
    private int maxLinks = 128;
    private int maxAttributesPerEvent = 128;
    private int maxAttributesPerLink = 128;
    private int maxAttributeValueLength = Integer.MAX_VALUE;

    private Builder() {}

    public Builder maxAttributes(int value) {
      maxAttributes = check("maxAttributes", value);
      return this;
    }

    public Builder maxEvents(int value) {
      maxEvents = check("maxEvents", value);
      return this;
    }

    public Builder maxLinks(int value) {
      maxLinks = check("maxLinks", value);
      return this;
    }

    public Builder maxAttributesPerEvent(int value) {
      maxAttributesPerEvent = check("maxAttributesPerEvent", value);
      return this;
    }

    public Builder maxAttributesPerLink(int value) {
      maxAttributesPerLink = check("maxAttributesPerLink", value);
      return this;
    }

    public Builder maxAttributeValueLength(int value) {
      maxAttributeValueLength = check("maxAttributeValueLength", value);
      return this;
    }

    private static int check(String field, int value) {
      if (value < 0) {
        throw new IllegalArgumentException(field + " must be >= 0, was " + value);
      }
      return value;
    }

    public SpanLimits build() {
      return new SpanLimits(this);
    }
  }
}
