package dev.inflight.processor.batch;

import com.google.protobuf.CodedOutputStream;
import dev.inflight.pdata.MalformedDataException;
import dev.inflight.otlp.wire.OtlpWire;
import dev.inflight.otlp.wire.WireReader;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.Traces;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Held traces or logs as encoded export requests, never parsed into objects. Both have the same
 * three levels — the request's repeated {@code resource_X}, each with repeated {@code scope_X},
 * each with repeated items (spans, log records) — and differ only in the field tags, so one walk
 * serves both, parameterised by a {@link Shape}.
 *
 * <p>Merging: {@code resource_X} is the request's only field and is repeated, so requests
 * concatenated are one valid request holding all their resources in order. A request taken whole
 * is handed on as the very same object; several are copied once into one array.
 *
 * <p>Splitting (only when more than {@code send_batch_max_size} items are held): a held request is
 * walked with a {@link WireReader} into its {@code resource_X} fields, each a slice of the
 * original bytes. Whole resources go where they fit. One that alone holds more items than the cap
 * is cut: its scopes that fit are copied as bytes, the scope at the edge is cut between items, and
 * only the envelopes are written anew with {@link CodedOutputStream} — the resource and scope
 * fields and every item are copied as bytes. A resource being cut keeps its layout (offsets of
 * scopes and items) until its last item is taken, so cutting one huge resource into many requests
 * walks it once.
 *
 * @param <D> {@link Traces} or {@link Logs}
 */
final class HeldEncoded<D> implements HeldBatch<D> {
  /**
   * One signal's request layout: the tags of request → {@code resource_X}, {@code resource_X} →
   * {@code scope_X} and {@code scope_X} → item, and how to get at and make its encoded form.
   */
  record Shape<D>(
      int resourceTag, int scopeTag, int itemTag, Function<D, byte[]> encoded, Wrap<D> ofEncoded) {
    static final Shape<Traces> TRACES =
        new Shape<>(
            OtlpWire.TraceRequest.RESOURCE_SPANS,
            OtlpWire.ResourceSpans.SCOPE_SPANS,
            OtlpWire.ScopeSpans.SPANS,
            Traces::encoded,
            Traces::ofEncoded);

    static final Shape<Logs> LOGS =
        new Shape<>(
            OtlpWire.LogsRequest.RESOURCE_LOGS,
            OtlpWire.ResourceLogs.SCOPE_LOGS,
            OtlpWire.ScopeLogs.LOG_RECORDS,
            Logs::encoded,
            Logs::ofEncoded);
  }

  /** Wraps encoded bytes holding a known number of items. */
  @FunctionalInterface
  interface Wrap<D> {
    D ofEncoded(byte[] encoded, int items);
  }

  private final Shape<D> shape;
  private final ArrayDeque<Segment> held = new ArrayDeque<>();
  private int items;

  HeldEncoded(Shape<D> shape) {
    this.shape = shape;
  }

  /** Held spans. */
  static HeldEncoded<Traces> traces() {
    return new HeldEncoded<>(Shape.TRACES);
  }

  /** Held log records. */
  static HeldEncoded<Logs> logs() {
    return new HeldEncoded<>(Shape.LOGS);
  }

  @Override
  public void add(D data, int count) {
    held.addLast(new Whole<>(data, shape.encoded().apply(data), count));
    items += count;
  }

  @Override
  public int items() {
    return items;
  }

  @Override
  public Cut<D> take(int cap) {
    int limit = cap <= 0 ? Integer.MAX_VALUE : cap;
    List<Segment> parts = new ArrayList<>();
    int taken = 0;
    while (!held.isEmpty() && taken < limit) {
      Segment head = held.peekFirst();
      int room = limit - taken;
      int n = head.items();
      if (n <= room) {
        held.pollFirst();
        parts.add(head instanceof Partial p ? p.take(n) : head);
        taken += n;
      } else if (head instanceof Whole<?> whole) {
        List<Segment> fields = explode(whole);
        if (fields == null) { // not walkable: it goes on its own, whatever its size
          if (taken > 0) {
            break;
          }
          held.pollFirst();
          parts.add(head);
          taken += n;
          break;
        }
        held.pollFirst();
        for (int i = fields.size() - 1; i >= 0; i--) {
          held.addFirst(fields.get(i));
        }
      } else if (n <= limit && taken > 0) {
        break; // a resource that fits a request of its own starts the next one
      } else {
        Partial partial;
        if (head instanceof Partial p) {
          partial = p;
        } else {
          partial = Partial.of((Field) head, shape);
          held.pollFirst();
          held.addFirst(partial);
        }
        parts.add(partial.take(room));
        taken += room;
      }
    }
    // Fields without items (resources with none) travel with the request before them.
    while (!held.isEmpty() && held.peekFirst().items() == 0) {
      Segment empty = held.pollFirst();
      parts.add(empty instanceof Partial p ? p.take(0) : empty);
    }
    items -= taken;
    return new EncodedCut<>(shape, parts, taken);
  }

  private record EncodedCut<D>(Shape<D> shape, List<Segment> parts, int items) implements Cut<D> {
    @Override
    @SuppressWarnings("unchecked") // every Whole held by a HeldEncoded<D> holds a D
    public D data() {
      if (parts.size() == 1 && parts.get(0) instanceof Whole<?> whole) {
        return (D) whole.data;
      }
      int length = 0;
      for (Segment s : parts) {
        length += s.length();
      }
      byte[] out = new byte[length];
      CodedOutputStream cos = CodedOutputStream.newInstance(out);
      try {
        for (Segment s : parts) {
          s.writeTo(cos);
        }
      } catch (IOException e) {
        throw new IllegalStateException("miscounted the length of a request: " + e, e);
      }
      cos.checkNoSpaceLeft();
      return shape.ofEncoded().ofEncoded(out, items);
    }
  }

  /**
   * The top-level fields of a request as slices of its bytes, each with its item count; null when
   * the bytes do not walk (a receiver that trusted a count without checking the encoding).
   */
  private List<Segment> explode(Whole<?> whole) {
    byte[] buf = whole.bytes;
    List<Segment> fields = new ArrayList<>();
    int total = 0;
    try {
      WireReader in = new WireReader(buf);
      while (true) {
        int start = in.position();
        int tag = in.readTag();
        if (tag == 0) {
          break;
        }
        int count = 0;
        if (tag == shape.resourceTag()) {
          int limit = in.enter();
          while (in.next(shape.scopeTag())) {
            int scopeLimit = in.enter();
            while ((tag = in.readTag()) != 0) {
              if (tag == shape.itemTag()) {
                count++;
              }
              in.skipField(tag);
            }
            in.popLimit(scopeLimit);
          }
          in.popLimit(limit);
        } else {
          in.skipField(tag);
        }
        fields.add(new Field(buf, start, in.position() - start, count));
        total += count;
      }
    } catch (IOException e) {
      return null;
    }
    return total == whole.count ? fields : null;
  }

  /** A run of whole top-level fields of a request, in bytes, and the items in them. */
  private abstract static class Segment {
    abstract int items();

    abstract int length();

    abstract void writeTo(CodedOutputStream out) throws IOException;
  }

  /** A segment whose item count is fixed when it is made. */
  private abstract static class Counted extends Segment {
    final int count;

    Counted(int count) {
      this.count = count;
    }

    @Override
    final int items() {
      return count;
    }
  }

  /** A request as it arrived, and its bytes. */
  private static final class Whole<D> extends Counted {
    final D data;
    final byte[] bytes;

    Whole(D data, byte[] bytes, int count) {
      super(count);
      this.data = data;
      this.bytes = bytes;
    }

    @Override
    int length() {
      return bytes.length;
    }

    @Override
    void writeTo(CodedOutputStream out) throws IOException {
      out.writeRawBytes(bytes);
    }
  }

  /** One top-level field (tag, length and value) inside a request's bytes. */
  private static final class Field extends Counted {
    final byte[] buf;
    final int offset;
    final int length;

    Field(byte[] buf, int offset, int length, int count) {
      super(count);
      this.buf = buf;
      this.offset = offset;
      this.length = length;
    }

    @Override
    int length() {
      return length;
    }

    @Override
    void writeTo(CodedOutputStream out) throws IOException {
      out.writeRawBytes(buf, offset, length);
    }
  }

  /**
   * What is left of a {@code resource_X} being cut: its layout and a cursor (scope {@link #scope},
   * item {@link #item} within it) at the first item not yet taken.
   */
  private static final class Partial extends Segment {
    final ResourceLayout layout;
    int scope;
    int item;
    int remaining;

    private Partial(ResourceLayout layout) {
      this.layout = layout;
      this.remaining = layout.items;
    }

    static Partial of(Field field, Shape<?> shape) {
      try {
        return new Partial(ResourceLayout.parse(field.buf, field.offset, field.length, shape));
      } catch (IOException e) {
        // explode() walked these bytes already.
        throw new MalformedDataException("a resource of the request does not walk", e);
      }
    }

    @Override
    int items() {
      return remaining;
    }

    @Override
    int length() {
      throw new UnsupportedOperationException("take a piece first");
    }

    @Override
    void writeTo(CodedOutputStream out) {
      throw new UnsupportedOperationException("take a piece first");
    }

    /**
     * The next {@code n} items as one {@code resource_X}; taking all that remain also takes scopes
     * without items at the end.
     */
    Piece take(int n) {
      boolean rest = n == remaining;
      int firstScope = scope;
      int firstItem = item;
      int lastScope = scope;
      int lastEnd = item;
      int need = n;
      ScopeLayout[] scopes = layout.scopes;
      while (scope < scopes.length && (need > 0 || rest)) {
        int count = scopes[scope].items;
        int t = Math.min(count - item, need);
        need -= t;
        lastScope = scope;
        lastEnd = item + t;
        if (lastEnd == count) {
          scope++;
          item = 0;
        } else {
          item = lastEnd;
        }
      }
      remaining -= n;
      return new Piece(layout, firstScope, firstItem, lastScope, lastEnd, n);
    }
  }

  /**
   * Items {@code [firstItem, ...)} of scope {@code firstScope} through {@code [..., lastEnd)} of
   * scope {@code lastScope} of one {@code resource_X}, with the resource's other fields. Written
   * only when the request is assembled, outside the lock.
   */
  private static final class Piece extends Counted {
    final ResourceLayout layout;
    final int firstScope;
    final int firstItem;
    final int lastScope;
    final int lastEnd;
    final int valueLength;

    Piece(ResourceLayout layout, int firstScope, int firstItem, int lastScope, int lastEnd, int count) {
      super(count);
      this.layout = layout;
      this.firstScope = firstScope;
      this.firstItem = firstItem;
      this.lastScope = lastScope;
      this.lastEnd = lastEnd;
      int v = layout.otherLength;
      for (int s = firstScope; s <= lastScope && s < layout.scopes.length; s++) {
        v += layout.scopes[s].pieceLength(from(s), to(s));
      }
      this.valueLength = v;
    }

    private int from(int s) {
      return s == firstScope ? firstItem : 0;
    }

    private int to(int s) {
      return s == lastScope ? lastEnd : layout.scopes[s].items;
    }

    @Override
    int length() {
      return CodedOutputStream.computeUInt32SizeNoTag(layout.resourceTag)
          + CodedOutputStream.computeUInt32SizeNoTag(valueLength)
          + valueLength;
    }

    @Override
    void writeTo(CodedOutputStream out) throws IOException {
      out.writeUInt32NoTag(layout.resourceTag);
      out.writeUInt32NoTag(valueLength);
      ResourceLayout l = layout;
      for (int f = 0; f < l.fieldStart.length; f++) {
        int s = l.fieldScope[f];
        if (s < 0) {
          out.writeRawBytes(l.buf, l.fieldStart[f], l.fieldEnd[f] - l.fieldStart[f]);
        } else if (s >= firstScope && s <= lastScope) {
          l.scopes[s].writePiece(out, l.buf, from(s), to(s));
        }
      }
    }
  }

  /** Where the fields of one {@code resource_X} lie in the bytes. */
  private static final class ResourceLayout {
    final byte[] buf;
    final int resourceTag;
    /** Every field of the resource_X value, in order: [start, end) from tag to end. */
    final int[] fieldStart;
    final int[] fieldEnd;
    /** For each field, the index of its scope in {@link #scopes}, or -1 if it is not scope_X. */
    final int[] fieldScope;
    final ScopeLayout[] scopes;
    /** Bytes of the fields other than scope_X (resource, schema_url): copied into every piece. */
    final int otherLength;
    final int items;

    private ResourceLayout(
        byte[] buf,
        int resourceTag,
        int[] fieldStart,
        int[] fieldEnd,
        int[] fieldScope,
        ScopeLayout[] scopes) {
      this.buf = buf;
      this.resourceTag = resourceTag;
      this.fieldStart = fieldStart;
      this.fieldEnd = fieldEnd;
      this.fieldScope = fieldScope;
      this.scopes = scopes;
      int other = 0;
      for (int f = 0; f < fieldStart.length; f++) {
        if (fieldScope[f] < 0) {
          other += fieldEnd[f] - fieldStart[f];
        }
      }
      this.otherLength = other;
      int n = 0;
      for (ScopeLayout s : scopes) {
        n += s.items;
      }
      this.items = n;
    }

    /** Walks the resource_X field (tag and length included) at {@code [offset, offset + length)}. */
    static ResourceLayout parse(byte[] buf, int offset, int length, Shape<?> shape)
        throws IOException {
      WireReader in = new WireReader(buf, offset, length);
      in.readTag();
      int limit = in.enter();
      IntList starts = new IntList();
      IntList ends = new IntList();
      IntList scopeOf = new IntList();
      List<ScopeLayout> scopes = new ArrayList<>();
      while (true) {
        int start = in.position();
        int tag = in.readTag();
        if (tag == 0) {
          break;
        }
        if (tag == shape.scopeTag()) {
          scopeOf.add(scopes.size());
          scopes.add(ScopeLayout.parse(in, start, shape));
        } else {
          scopeOf.add(-1);
          in.skipField(tag);
        }
        starts.add(start);
        ends.add(in.position());
      }
      in.popLimit(limit);
      return new ResourceLayout(
          buf,
          shape.resourceTag(),
          starts.toArray(),
          ends.toArray(),
          scopeOf.toArray(),
          scopes.toArray(new ScopeLayout[0]));
    }
  }

  /** Where the fields of one {@code scope_X} lie in the bytes. */
  private static final class ScopeLayout {
    final int scopeTag;
    /** The whole scope_X field, tag to end. */
    final int start;
    final int end;
    /** Every field of the value in order, [start, end) from tag to end. */
    final int[] fieldStart;
    final int[] fieldEnd;
    /** For each field, its index among the items, or -1 if it is not an item (scope, schema_url). */
    final int[] fieldItem;
    /** itemPrefix[i]: bytes of items 0..i-1 (their whole fields). */
    final int[] itemPrefix;
    final int otherLength;
    final int items;

    private ScopeLayout(
        int scopeTag, int start, int end, int[] fieldStart, int[] fieldEnd, int[] fieldItem) {
      this.scopeTag = scopeTag;
      this.start = start;
      this.end = end;
      this.fieldStart = fieldStart;
      this.fieldEnd = fieldEnd;
      this.fieldItem = fieldItem;
      int n = 0;
      int other = 0;
      for (int f = 0; f < fieldItem.length; f++) {
        if (fieldItem[f] >= 0) {
          n++;
        } else {
          other += fieldEnd[f] - fieldStart[f];
        }
      }
      this.items = n;
      this.otherLength = other;
      this.itemPrefix = new int[n + 1];
      for (int f = 0; f < fieldItem.length; f++) {
        int i = fieldItem[f];
        if (i >= 0) {
          itemPrefix[i + 1] = itemPrefix[i] + fieldEnd[f] - fieldStart[f];
        }
      }
    }

    /** Reads the scope_X whose tag {@code in} just read (it started at {@code start}). */
    static ScopeLayout parse(WireReader in, int start, Shape<?> shape) throws IOException {
      int limit = in.enter();
      IntList starts = new IntList();
      IntList ends = new IntList();
      IntList itemOf = new IntList();
      int count = 0;
      while (true) {
        int fieldStart = in.position();
        int tag = in.readTag();
        if (tag == 0) {
          break;
        }
        itemOf.add(tag == shape.itemTag() ? count++ : -1);
        in.skipField(tag);
        starts.add(fieldStart);
        ends.add(in.position());
      }
      in.popLimit(limit);
      return new ScopeLayout(
          shape.scopeTag(), start, in.position(), starts.toArray(), ends.toArray(), itemOf.toArray());
    }

    private boolean whole(int from, int to) {
      return from == 0 && to == items;
    }

    private int valueLength(int from, int to) {
      return otherLength + itemPrefix[to] - itemPrefix[from];
    }

    /** Bytes of this scope_X field holding items [from, to). */
    int pieceLength(int from, int to) {
      if (whole(from, to)) {
        return end - start;
      }
      int v = valueLength(from, to);
      return CodedOutputStream.computeUInt32SizeNoTag(scopeTag)
          + CodedOutputStream.computeUInt32SizeNoTag(v)
          + v;
    }

    void writePiece(CodedOutputStream out, byte[] buf, int from, int to) throws IOException {
      if (whole(from, to)) {
        out.writeRawBytes(buf, start, end - start);
        return;
      }
      out.writeUInt32NoTag(scopeTag);
      out.writeUInt32NoTag(valueLength(from, to));
      for (int f = 0; f < fieldStart.length; f++) {
        int i = fieldItem[f];
        if (i < 0 || (i >= from && i < to)) {
          out.writeRawBytes(buf, fieldStart[f], fieldEnd[f] - fieldStart[f]);
        }
      }
    }
  }

  /** A growable int array: layouts hold two ints per item, not two Integers. */
  private static final class IntList {
    private int[] values = new int[8];
    private int size;

    void add(int v) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    int[] toArray() {
      return java.util.Arrays.copyOf(values, size);
    }
  }
}
