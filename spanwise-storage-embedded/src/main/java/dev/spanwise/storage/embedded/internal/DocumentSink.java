package dev.spanwise.storage.embedded.internal;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexableField;

/**
 * The second stage of a tenant's write path: a thread of its own that hands batches of documents
 * to the Lucene {@link IndexWriter}. The writer thread (the first stage) decodes spans, keeps the
 * trace state and rollups and builds documents; Lucene inverts and buffers them here, on the
 * other core. The two halves take about the same time, so a busy store indexes up to twice as
 * fast as one thread would.
 *
 * <p>{@link #submit} blocks while {@value #QUEUED_BATCHES} batches wait, which bounds the memory
 * held between the stages. {@link #drain} waits until everything submitted before it is in the
 * index writer: refreshes and commits drain first, so they see (and make durable) every document
 * handed over before them.
 *
 * <p>A failure to add documents (an I/O error, which Lucene treats as fatal to the index writer)
 * is kept: it is thrown by every later call, and the store must be reopened, replaying the
 * write-ahead log from its last checkpoint.
 */
final class DocumentSink implements Closeable {
  static final int QUEUED_BATCHES = 4;
  private static final List<Iterable<IndexableField>> STOP = List.of();

  private final IndexWriter writer;
  private final BlockingQueue<List<Iterable<IndexableField>>> queue =
      new ArrayBlockingQueue<>(QUEUED_BATCHES);
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition progressed = lock.newCondition();
  private final Thread thread;
  /** Batches submitted (writer thread only) and batches added (sink thread). */
  private long submitted;
  private long added;
  private volatile Throwable failure;
  private volatile boolean closed;

  DocumentSink(IndexWriter writer, String name) {
    this.writer = writer;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Hands a batch of documents over, waiting while the queue is full. */
  void submit(List<Iterable<IndexableField>> documents) throws IOException {
    checkHealthy();
    if (closed) throw new IOException("the index's document sink is closed");
    if (documents.isEmpty()) return;
    lock.lock();
    try {
      submitted++;
    } finally {
      lock.unlock();
    }
    try {
      while (!queue.offer(documents, 100, TimeUnit.MILLISECONDS)) checkHealthy();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while handing documents to the index", e);
    }
  }

  /** Waits until every batch submitted before this call is in the index writer. */
  void drain() throws IOException {
    lock.lock();
    try {
      long target = submitted;
      while (added < target) {
        if (failure != null) break;
        progressed.await(100, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the index", e);
    } finally {
      lock.unlock();
    }
    checkHealthy();
  }

  private void checkHealthy() throws IOException {
    Throwable t = failure;
    if (t != null) {
      throw new IOException("adding documents to the index failed; the store must be reopened"
          + " (the write-ahead log replays what was lost)", t);
    }
  }

  private void run() {
    while (true) {
      List<Iterable<IndexableField>> batch;
      try {
        batch = queue.take();
      } catch (InterruptedException e) {
        continue; // only STOP ends the thread
      }
      if (batch == STOP) return;
      if (failure == null) {
        try {
          writer.addDocuments(batch);
        } catch (IOException | RuntimeException | Error e) {
          failure = e;
        }
      }
      lock.lock();
      try {
        added++;
        progressed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Adds what was submitted, then stops the thread. */
  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    try {
      drain();
    } finally {
      try {
        queue.put(STOP);
        thread.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
