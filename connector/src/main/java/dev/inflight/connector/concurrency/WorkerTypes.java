package dev.inflight.connector.concurrency;

import dev.inflight.connector.concurrency.ConcurrencyConnectorConfig.WorkerType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The configured worker types, compiled, with a cache from span name (as encoded bytes) to the
 * types whose {@code match} accepts it. Span names are few in practice, so after warm-up a span is
 * classified by hashing and comparing its name's bytes in place: no String, no regex. Lock-free:
 * entries are immutable and published through an atomic array.
 */
final class WorkerTypes {
  /** Distinct names remembered; beyond this, new names are matched each time (correct, slower). */
  static final int CACHE_CAPACITY = 4096;
  private static final int SLOTS = CACHE_CAPACITY * 2;
  private static final int PROBES = 8;
  private static final int[] NONE = new int[0];

  private final String[] names;
  private final Double[] capacities;
  private final NamePattern[][] match;
  private final NamePattern[][] services;
  private final boolean anyServiceFilter;

  private final AtomicReferenceArray<Entry> cache = new AtomicReferenceArray<>(SLOTS);
  private final AtomicInteger cached = new AtomicInteger();

  /** A span name (its bytes and, for the recent-trace store, its text) and the types accepting it. */
  record Entry(byte[] bytes, int hash, int[] types, String name) {}

  WorkerTypes(List<WorkerType> types) {
    int n = types.size();
    names = new String[n];
    capacities = new Double[n];
    match = new NamePattern[n][];
    services = new NamePattern[n][];
    boolean filter = false;
    for (int i = 0; i < n; i++) {
      WorkerType t = types.get(i);
      names[i] = t.name();
      capacities[i] = t.capacity();
      match[i] = t.match().stream().map(NamePattern::compile).toArray(NamePattern[]::new);
      services[i] = t.services().stream().map(NamePattern::compile).toArray(NamePattern[]::new);
      filter |= services[i].length > 0;
    }
    anyServiceFilter = filter;
  }

  int size() {
    return names.length;
  }

  String[] names() {
    return names.clone();
  }

  Double[] capacities() {
    return capacities.clone();
  }

  /** Whether any worker type filters on {@code service.name}. */
  boolean filtersServices() {
    return anyServiceFilter;
  }

  /** Whether worker type {@code type} accepts spans of this service (null: the resource has none). */
  boolean acceptsService(int type, String service) {
    NamePattern[] filter = services[type];
    if (filter.length == 0) {
      return true;
    }
    if (service == null) {
      return false;
    }
    for (NamePattern p : filter) {
      if (p.matches(service)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The worker types whose {@code match} accepts the UTF-8 name in {@code buf[off, off + len)}, in
   * config order (empty when none), with the name as text. Shared: do not modify its array.
   */
  Entry lookup(byte[] buf, int off, int len) {
    int hash = hash(buf, off, len);
    int mask = SLOTS - 1;
    for (int p = 0; p < PROBES; p++) {
      Entry e = cache.get((hash + p) & mask);
      if (e == null) {
        break;
      }
      if (e.hash == hash && sameBytes(e.bytes, buf, off, len)) {
        return e;
      }
    }
    String name = new String(buf, off, len, StandardCharsets.UTF_8);
    if (cached.get() >= CACHE_CAPACITY) {
      return new Entry(null, hash, classify(name), name); // not kept: no copy of the bytes
    }
    Entry entry = new Entry(java.util.Arrays.copyOfRange(buf, off, off + len), hash, classify(name), name);
    for (int p = 0; p < PROBES; p++) {
      if (cache.compareAndSet((hash + p) & mask, null, entry)) {
        cached.incrementAndGet();
        break;
      }
    }
    return entry;
  }

  /** The worker types accepting the name, as {@link #lookup} gives them. */
  int[] candidates(byte[] buf, int off, int len) {
    return lookup(buf, off, len).types;
  }

  /** The first worker type accepting a span of this name and service (null: unknown), or -1. */
  int firstMatch(String name, String service) {
    for (int t : classify(name)) {
      if (acceptsService(t, service)) {
        return t;
      }
    }
    return -1;
  }

  int[] classify(String name) {
    List<Integer> found = new ArrayList<>(1);
    for (int t = 0; t < match.length; t++) {
      for (NamePattern p : match[t]) {
        if (p.matches(name)) {
          found.add(t);
          break;
        }
      }
    }
    return found.isEmpty() ? NONE : found.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int hash(byte[] buf, int off, int len) {
    int h = 0x9747b28c;
    for (int i = off; i < off + len; i++) {
      h = 31 * h + buf[i];
    }
    return h ^ (h >>> 16);
  }

  private static boolean sameBytes(byte[] a, byte[] buf, int off, int len) {
    return a.length == len && java.util.Arrays.equals(a, 0, len, buf, off, off + len);
  }
}
