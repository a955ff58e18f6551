package dev.spanwise.storage;

/**
 * What a backend can answer. The query layer refuses a question whose capability is missing with
 * HTTP 400 and a reason, never with an empty result.
 */
public enum StorageCapability {
  /** {@link TraceReader}. */
  TRACE_BY_ID,
  /** {@link TraceSearch} with a service name. */
  SEARCH_BY_SERVICE,
  /** {@link TraceSearch} without a service name. */
  SEARCH_WITHOUT_SERVICE,
  /** {@link TraceQuery#attributeFilters()} in searches. */
  SEARCH_BY_ATTRIBUTE,
  /** {@link TraceQuery#minDurationNanos()} and max in searches. */
  SEARCH_BY_DURATION,
  /** {@link ServiceNames}. */
  SERVICE_NAMES,
  /** {@link AttributeNames}. */
  ATTRIBUTE_NAMES,
  /** {@link DependencyReader}. */
  DEPENDENCIES,
  /** {@link SpanStore#deleteBefore(long)}. */
  RETENTION
}
