package dev.spanwise.storage;

import java.io.IOException;
import java.util.List;

/** Attribute keys and values seen, for autocomplete in search. */
public interface AttributeNames {
  /** Keys of span and resource attributes seen, sorted; {@code service} null means any. */
  List<String> keys(String tenant, String service) throws IOException;

  /**
   * String values seen for {@code key}, sorted, at most {@code limit}, starting with {@code prefix}
   * (empty: any). Only keys whose values are indexed for autocomplete return values.
   */
  List<String> values(String tenant, String key, String prefix, int limit) throws IOException;
}
