/**
 * A segmented, checksummed, append-only write-ahead log with group-commit fsync: {@link
 * dev.spanwise.wal.WriteAheadLog} appends and recovers, {@link dev.spanwise.wal.WalReader} tails
 * it, {@link dev.spanwise.wal.Checkpoint} records how far a consumer got. No dependencies.
 */
package dev.spanwise.wal;
