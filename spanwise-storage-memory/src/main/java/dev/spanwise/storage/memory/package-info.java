/** An in-memory storage backend: {@link dev.spanwise.storage.memory.InMemorySpanStore}. */
package dev.spanwise.storage.memory;
