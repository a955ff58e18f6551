package dev.spanwise.storage;

/** A question the backend cannot answer; the query layer turns it into HTTP 400 with the reason. */
public final class UnsupportedQueryException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final StorageCapability capability;

  public UnsupportedQueryException(StorageCapability capability, String reason) {
    super(reason);
    this.capability = capability;
  }

  public StorageCapability capability() {
    return capability;
  }
}
