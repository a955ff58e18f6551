/**
 * Pure trace algorithms on the model, with no server dependency: the span tree ({@link
 * dev.spanwise.analysis.TraceTree}), critical path ({@link dev.spanwise.analysis.CriticalPath}),
 * self time ({@link dev.spanwise.analysis.SelfTime}), read-time clock-skew correction ({@link
 * dev.spanwise.analysis.ClockSkewAdjuster}) and the per-operation table ({@link
 * dev.spanwise.analysis.TraceStatistics}); {@link dev.spanwise.analysis.TraceAnalysis} runs them
 * together.
 */
package dev.spanwise.analysis;
