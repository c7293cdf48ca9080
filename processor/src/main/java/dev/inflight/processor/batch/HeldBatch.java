package dev.inflight.processor.batch;

/**
 * The data a batch processor holds for one signal, in arrival order. Not thread-safe: {@link
 * Batcher} calls it under its lock, and assembles what {@link #take} returns after releasing it.
 *
 * @param <D> the batch type ({@code Traces}, {@code Metrics}, {@code Logs})
 */
interface HeldBatch<D> {
  /** Appends a batch of {@code items} items (more than 0). */
  void add(D data, int items);

  /** Items held. */
  int items();

  /**
   * Removes items from the head and returns them as one request of at most {@code cap} items
   * ({@code cap} 0: everything held). A resource that fits in a request of its own is never cut: if
   * it does not fit in what is left of this one, it starts the next. One larger than {@code cap} is
   * cut to fill the request. Returns at least one item when any is held.
   */
  Cut<D> take(int cap);

  /** One request taken from the batch; {@link #data} does the copying, outside the lock. */
  interface Cut<D> {
    int items();

    D data();
  }
}
