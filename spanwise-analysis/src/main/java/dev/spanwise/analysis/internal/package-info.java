/** Helpers private to spanwise-analysis; never imported by another module. */
package dev.spanwise.analysis.internal;
