package dev.spanwise.wal;

import dev.spanwise.wal.internal.ChannelOpener;
import java.util.Objects;

/** How a {@link WriteAheadLog} is shaped. Immutable; build with {@link #builder()}. */
public final class WalOptions {
  public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;
  public static final int DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;
  public static final long DEFAULT_MAX_PENDING_BYTES = 64L * 1024 * 1024;
  public static final int DEFAULT_MAX_GROUP_BYTES = 4 * 1024 * 1024;
  static final long MIN_SEGMENT_BYTES = 1024;

  private final long segmentBytes;
  private final int maxRecordBytes;
  private final long maxPendingBytes;
  private final int maxGroupBytes;
  private final WalListener listener;
  private final ChannelOpener channelOpener;

  private WalOptions(Builder b) {
    this.segmentBytes = b.segmentBytes;
    this.maxRecordBytes = b.maxRecordBytes;
    this.maxPendingBytes = b.maxPendingBytes;
    this.maxGroupBytes = b.maxGroupBytes;
    this.listener = b.listener;
    this.channelOpener = b.channelOpener;
  }

  public static WalOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A segment rolls once appending the next record would take it past this size. */
  public long segmentBytes() {
    return segmentBytes;
  }

  /** The largest record {@code append} takes; larger ones fail with IllegalArgumentException. */
  public int maxRecordBytes() {
    return maxRecordBytes;
  }

  /** Bytes of appends that may wait for the writer; over it, appends fail with WalFullException. */
  public long maxPendingBytes() {
    return maxPendingBytes;
  }

  /** The writer fsyncs at least once per this many bytes, however many appends are waiting. */
  public int maxGroupBytes() {
    return maxGroupBytes;
  }

  public WalListener listener() {
    return listener;
  }

  ChannelOpener channelOpener() {
    return channelOpener;
  }

  public static final class Builder {
    private long segmentBytes = DEFAULT_SEGMENT_BYTES;
    private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
    private long maxPendingBytes = DEFAULT_MAX_PENDING_BYTES;
    private int maxGroupBytes = DEFAULT_MAX_GROUP_BYTES;
    private WalListener listener = WalListener.NOOP;
    private ChannelOpener channelOpener = ChannelOpener.DEFAULT;

    private Builder() {}

    public Builder segmentBytes(long segmentBytes) {
      if (segmentBytes < MIN_SEGMENT_BYTES) {
        throw new IllegalArgumentException(
            "segmentBytes must be at least " + MIN_SEGMENT_BYTES + ": " + segmentBytes);
      }
      this.segmentBytes = segmentBytes;
      return this;
    }

    public Builder maxRecordBytes(int maxRecordBytes) {
      if (maxRecordBytes < 1) {
        throw new IllegalArgumentException("maxRecordBytes must be positive: " + maxRecordBytes);
      }
      this.maxRecordBytes = maxRecordBytes;
      return this;
    }

    public Builder maxPendingBytes(long maxPendingBytes) {
      if (maxPendingBytes < 1) {
        throw new IllegalArgumentException("maxPendingBytes must be positive: " + maxPendingBytes);
      }
      this.maxPendingBytes = maxPendingBytes;
      return this;
    }

    public Builder maxGroupBytes(int maxGroupBytes) {
      if (maxGroupBytes < 1) {
        throw new IllegalArgumentException("maxGroupBytes must be positive: " + maxGroupBytes);
      }
      this.maxGroupBytes = maxGroupBytes;
      return this;
    }

    public Builder listener(WalListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Test seam: how segment files are opened for writing. */
    Builder channelOpener(ChannelOpener channelOpener) {
      this.channelOpener = Objects.requireNonNull(channelOpener, "channelOpener");
      return this;
    }

    public WalOptions build() {
      if (maxRecordBytes > maxPendingBytes) {
        throw new IllegalArgumentException("maxRecordBytes (" + maxRecordBytes
            + ") must not exceed maxPendingBytes (" + maxPendingBytes + ")");
      }
      return new WalOptions(this);
    }
  }
}
