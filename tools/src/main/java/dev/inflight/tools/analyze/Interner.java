package dev.inflight.tools.analyze;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Gives each distinct UTF-8 string (span names, service names, instance values) a small int id,
 * looked up by its bytes in place: a recorded span costs no String once its name has been seen.
 * Open addressing, linear probing; not thread-safe.
 */
final class Interner {
  private byte[][] keys = new byte[64][];
  private int[] ids = new int[64];
  private int[] hashes = new int[64];
  private String[] strings = new String[16];
  private int size;

  /** The id of the string in {@code buf[off, off + len)}, added when new. */
  int intern(byte[] buf, int off, int len) {
    int hash = hash(buf, off, len);
    int mask = keys.length - 1;
    for (int i = hash & mask; ; i = (i + 1) & mask) {
      byte[] k = keys[i];
      if (k == null) {
        if (size * 2 >= keys.length) {
          grow();
          return intern(buf, off, len);
        }
        keys[i] = Arrays.copyOfRange(buf, off, off + len);
        hashes[i] = hash;
        ids[i] = size;
        if (size == strings.length) {
          strings = Arrays.copyOf(strings, size * 2);
        }
        strings[size] = new String(buf, off, len, StandardCharsets.UTF_8);
        return size++;
      }
      if (hashes[i] == hash && Arrays.equals(k, 0, k.length, buf, off, off + len)) {
        return ids[i];
      }
    }
  }

  /** The id of {@code s}, added when new. */
  int intern(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return intern(b, 0, b.length);
  }

  String get(int id) {
    return strings[id];
  }

  int size() {
    return size;
  }

  private void grow() {
    byte[][] oldKeys = keys;
    int[] oldIds = ids;
    int[] oldHashes = hashes;
    keys = new byte[oldKeys.length * 2][];
    ids = new int[keys.length];
    hashes = new int[keys.length];
    int mask = keys.length - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldKeys[j] != null) {
        int i = oldHashes[j] & mask;
        while (keys[i] != null) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[j];
        ids[i] = oldIds[j];
        hashes[i] = oldHashes[j];
      }
    }
  }

  private static int hash(byte[] buf, int off, int len) {
    int h = 0x811c9dc5;
    for (int i = off; i < off + len; i++) {
      h = (h ^ buf[i]) * 0x01000193;
    }
    return h ^ (h >>> 15);
  }
}
