package dev.spanwise.tracer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedMpscQueueTest {

  @Test
  void fifoAndBoundedToTheExactCapacity() {
    BoundedMpscQueue<Integer> queue = new BoundedMpscQueue<>(3); // rounded up to 4 slots inside
    assertThat(queue.offer(1)).isTrue();
    assertThat(queue.offer(2)).isTrue();
    assertThat(queue.offer(3)).isTrue();
    assertThat(queue.offer(4)).isFalse();
    assertThat(queue.size()).isEqualTo(3);
    assertThat(queue.poll()).isEqualTo(1);
    assertThat(queue.offer(5)).isTrue();
    List<Integer> out = new ArrayList<>();
    assertThat(queue.drainTo(out, 10)).isEqualTo(3);
    assertThat(out).containsExactly(2, 3, 5);
    assertThat(queue.poll()).isNull();
    assertThatThrownBy(() -> new BoundedMpscQueue<>(0)).hasMessageContaining("capacity");
  }

  @Test
  void manyProducersOneConsumerLoseNothingAndDuplicateNothing() throws Exception {
    int producers = 4;
    int perProducer = 50_000;
    BoundedMpscQueue<Integer> queue = new BoundedMpscQueue<>(1024);
    AtomicInteger rejected = new AtomicInteger();
    BitSet seen = new BitSet(producers * perProducer);
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int base = p * perProducer;
      Thread t = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perProducer; i++) {
          if (!queue.offer(base + i)) {
            rejected.incrementAndGet();
          }
        }
      });
      t.start();
      threads.add(t);
    }
    start.countDown();
    int received = 0;
    boolean producing = true;
    while (producing || queue.size() > 0) {
      producing = threads.stream().anyMatch(Thread::isAlive);
      Integer value;
      while ((value = queue.poll()) != null) {
        assertThat(seen.get(value)).as("duplicate %s", value).isFalse();
        seen.set(value);
        received++;
      }
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(received + rejected.get()).isEqualTo(producers * perProducer);
    assertThat(seen.cardinality()).isEqualTo(received);
  }
}
