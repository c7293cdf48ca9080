package dev.inflight.exporterhelper;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded FIFO that can be closed: after {@link #close} it refuses new elements, and takers get
 * what is left, then {@code null}. That is what draining at shutdown needs, without poison pills
 * that a full queue could not take.
 */
final class BoundedQueue<E> {
  enum Offer {
    ACCEPTED,
    FULL,
    CLOSED
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final ArrayDeque<E> elements = new ArrayDeque<>();
  private final int capacity;
  private volatile int size;
  private boolean closed;

  BoundedQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
  }

  Offer offer(E e) {
    lock.lock();
    try {
      if (closed) {
        return Offer.CLOSED;
      }
      if (elements.size() >= capacity) {
        return Offer.FULL;
      }
      elements.addLast(e);
      size = elements.size();
      notEmpty.signal();
      return Offer.ACCEPTED;
    } finally {
      lock.unlock();
    }
  }

  /** The oldest element, waiting for one; {@code null} once the queue is closed and empty. */
  E take() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (elements.isEmpty()) {
        if (closed) {
          return null;
        }
        notEmpty.await();
      }
      E e = elements.pollFirst();
      size = elements.size();
      return e;
    } finally {
      lock.unlock();
    }
  }

  /** Refuses new elements from now on; wakes takers so they can finish what is left. */
  void close() {
    lock.lock();
    try {
      closed = true;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Removes and returns everything queued. */
  List<E> drain() {
    lock.lock();
    try {
      List<E> out = new ArrayList<>(elements);
      elements.clear();
      size = 0;
      return out;
    } finally {
      lock.unlock();
    }
  }

  int size() {
    return size;
  }

  int capacity() {
    return capacity;
  }
}
