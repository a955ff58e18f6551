/** Implementation details of spanwise-codec; never imported by another module. */
package dev.spanwise.codec.internal;
