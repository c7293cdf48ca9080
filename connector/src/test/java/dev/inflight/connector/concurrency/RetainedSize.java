package dev.inflight.connector.concurrency;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A deterministic estimate of the heap an object graph retains, for memory tests: same input, same
 * number, whatever the garbage collector is doing. It walks the graph from a root: the fields of the
 * project's own classes by reflection, arrays element by element, and the JDK collections through
 * their public API (Java 17 does not let tests reflect into {@code java.util}); it sizes objects as
 * HotSpot lays them out on a 64-bit JVM with compressed oops (12-byte object header, 16-byte array
 * header, 4-byte references, 8-byte alignment) and JDK collection internals by their documented
 * shape (a node per entry, power-of-two tables). A JDK type it does not know is an error, so a new
 * kind of field in the engine cannot hide from the measurement.
 */
final class RetainedSize {
  private final IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
  private final Map<Class<?>, List<Field>> fields = new IdentityHashMap<>();
  private final Map<Class<?>, Long> shallow = new IdentityHashMap<>();
  private long bytes;
  private long objects;

  static RetainedSize of(Object root) {
    RetainedSize r = new RetainedSize();
    r.walk(root);
    return r;
  }

  long bytes() {
    return bytes;
  }

  long objects() {
    return objects;
  }

  private static long align(long n) {
    return (n + 7) & ~7L;
  }

  private static long primitiveSize(Class<?> c) {
    if (c == long.class || c == double.class) {
      return 8;
    }
    if (c == int.class || c == float.class) {
      return 4;
    }
    if (c == short.class || c == char.class) {
      return 2;
    }
    return 1; // byte, boolean
  }

  private static long hashTable(int size) {
    int cap = 16;
    while (cap * 0.75 < size) {
      cap <<= 1;
    }
    return align(16 + 4L * cap);
  }

  private void add(long n) {
    bytes += n;
    objects++;
  }

  private void walk(Object root) {
    ArrayList<Object> stack = new ArrayList<>();
    stack.add(root);
    while (!stack.isEmpty()) {
      Object o = stack.remove(stack.size() - 1);
      if (o == null || seen.put(o, Boolean.TRUE) != null) {
        continue;
      }
      Class<?> c = o.getClass();
      if (c.isArray()) {
        Class<?> e = c.getComponentType();
        int n = Array.getLength(o);
        if (e.isPrimitive()) {
          add(align(16 + primitiveSize(e) * n));
        } else {
          add(align(16 + 4L * n));
          for (Object x : (Object[]) o) {
            stack.add(x);
          }
        }
      } else if (c.getName().startsWith("dev.inflight.")) {
        add(shallowSize(c));
        for (Field f : referenceFields(c)) {
          try {
            stack.add(f.get(o));
          } catch (IllegalAccessException ex) {
            throw new IllegalStateException(ex);
          }
        }
      } else if (o instanceof String s) {
        add(24 + align(16 + s.length())); // Latin-1: names and dimension values here are ASCII
      } else if (o instanceof Long || o instanceof Integer || o instanceof Double) {
        add(16);
      } else if (o instanceof Map<?, ?> m) {
        int n = m.size();
        long node = o instanceof java.util.TreeMap ? 40 : 32;
        add((o instanceof ConcurrentHashMap ? 64 : 48) + (o instanceof java.util.TreeMap ? 0 : hashTable(n)) + node * n);
        for (Map.Entry<?, ?> en : m.entrySet()) {
          stack.add(en.getKey());
          stack.add(en.getValue());
        }
      } else if (o instanceof Collection<?> col) {
        add(24 + align(16 + 4L * col.size()));
        stack.addAll(col);
      } else if (c.getName().startsWith("java.util.concurrent.")) {
        // Atomics, adders, locks: a handful per engine, never per span. LongAdder's cells are
        // at most one (padded to 128 bytes) per CPU.
        add(64 + 2L * 128 * Runtime.getRuntime().availableProcessors());
      } else {
        throw new IllegalStateException("RetainedSize does not know " + c.getName() + ": teach it");
      }
    }
  }

  private long shallowSize(Class<?> c) {
    return shallow.computeIfAbsent(c, k -> {
      long size = 12;
      for (Class<?> x = k; x != null && x != Object.class; x = x.getSuperclass()) {
        for (Field f : x.getDeclaredFields()) {
          if (!Modifier.isStatic(f.getModifiers())) {
            size += f.getType().isPrimitive() ? primitiveSize(f.getType()) : 4;
          }
        }
      }
      return align(size);
    });
  }

  private List<Field> referenceFields(Class<?> c) {
    return fields.computeIfAbsent(c, k -> {
      List<Field> out = new ArrayList<>();
      for (Class<?> x = k; x != null && x != Object.class; x = x.getSuperclass()) {
        for (Field f : x.getDeclaredFields()) {
          if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
            f.setAccessible(true);
            out.add(f);
          }
        }
      }
      return out;
    });
  }
}
