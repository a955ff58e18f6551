package dev.spanwise.tracer.export;

/** Outcome of one export call. */
public enum ExportResult {
  SUCCESS,
  FAILURE
}
