package dev.inflight.processor.batch;

import com.google.protobuf.CodedOutputStream;
import dev.inflight.pdata.MalformedDataException;
import dev.inflight.otlp.wire.OtlpWire;
import dev.inflight.otlp.wire.WireReader;
import dev.inflight.pdata.Traces;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Held spans as encoded {@code ExportTraceServiceRequest}s, never parsed into objects.
 *
 * <p>Merging: {@code resource_spans} is the request's only field and is repeated, so requests
 * concatenated are one valid request holding all their resources in order. A request taken whole
 * is handed on as the very same {@link Traces}; several are copied once into one array.
 *
 * <p>Splitting (only when more than {@code send_batch_max_size} spans are held): a held request is
 * walked with a {@link WireReader} into its {@code resource_spans} fields, each a slice of the
 * original bytes. Whole resources go where they fit. One that alone holds more spans than the cap
 * is cut: its scopes that fit are copied as bytes, the scope at the edge is cut between spans, and
 * only the envelopes are written anew with {@link CodedOutputStream} — the resource and scope
 * fields and every span are copied as bytes. A resource being cut keeps its layout (offsets of
 * scopes and spans) until its last span is taken, so cutting one huge resource into many requests
 * walks it once.
 */
final class HeldTraces implements HeldBatch<Traces> {
  private static final int RESOURCE_SPANS_TAG = OtlpWire.TraceRequest.RESOURCE_SPANS;
  private static final int SCOPE_SPANS_TAG = OtlpWire.ResourceSpans.SCOPE_SPANS;
  private static final int SPANS_TAG = OtlpWire.ScopeSpans.SPANS;

  private final ArrayDeque<Segment> held = new ArrayDeque<>();
  private int items;

  @Override
  public void add(Traces traces, int spans) {
    held.addLast(new Whole(traces, spans));
    items += spans;
  }

  @Override
  public int items() {
    return items;
  }

  @Override
  public Cut<Traces> take(int cap) {
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
      } else if (head instanceof Whole whole) {
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
          partial = Partial.of((Field) head);
          held.pollFirst();
          held.addFirst(partial);
        }
        parts.add(partial.take(room));
        taken += room;
      }
    }
    // Fields without spans (resources with no spans) travel with the request before them.
    while (!held.isEmpty() && held.peekFirst().items() == 0) {
      Segment empty = held.pollFirst();
      parts.add(empty instanceof Partial p ? p.take(0) : empty);
    }
    items -= taken;
    return new TracesCut(parts, taken);
  }

  private record TracesCut(List<Segment> parts, int items) implements Cut<Traces> {
    @Override
    public Traces data() {
      if (parts.size() == 1 && parts.get(0) instanceof Whole whole) {
        return whole.traces;
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
      return Traces.ofEncoded(out, items);
    }
  }

  /**
   * The top-level fields of a request as slices of its bytes, each with its span count; null when
   * the bytes do not walk (a receiver that trusted a count without checking the encoding).
   */
  private static List<Segment> explode(Whole whole) {
    byte[] buf = whole.traces.encoded();
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
        int spans = 0;
        if (tag == RESOURCE_SPANS_TAG) {
          int limit = in.enter();
          while (in.next(SCOPE_SPANS_TAG)) {
            int scopeLimit = in.enter();
            while ((tag = in.readTag()) != 0) {
              if (tag == SPANS_TAG) {
                spans++;
              }
              in.skipField(tag);
            }
            in.popLimit(scopeLimit);
          }
          in.popLimit(limit);
        } else {
          in.skipField(tag);
        }
        fields.add(new Field(buf, start, in.position() - start, spans));
        total += spans;
      }
    } catch (IOException e) {
      return null;
    }
    return total == whole.spans ? fields : null;
  }

  /** A run of whole top-level fields of a request, in bytes, and the spans in them. */
  private abstract static class Segment {
    abstract int items();

    abstract int length();

    abstract void writeTo(CodedOutputStream out) throws IOException;
  }

  /** A segment whose span count is fixed when it is made. */
  private abstract static class Counted extends Segment {
    final int spans;

    Counted(int spans) {
      this.spans = spans;
    }

    @Override
    final int items() {
      return spans;
    }
  }

  /** A request as it arrived. */
  private static final class Whole extends Counted {
    final Traces traces;

    Whole(Traces traces, int spans) {
      super(spans);
      this.traces = traces;
    }

    @Override
    int length() {
      return traces.encoded().length;
    }

    @Override
    void writeTo(CodedOutputStream out) throws IOException {
      out.writeRawBytes(traces.encoded());
    }
  }

  /** One top-level field (tag, length and value) inside a request's bytes. */
  private static final class Field extends Counted {
    final byte[] buf;
    final int offset;
    final int length;

    Field(byte[] buf, int offset, int length, int spans) {
      super(spans);
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
   * What is left of a {@code resource_spans} being cut: its layout and a cursor (scope {@link
   * #scope}, span {@link #span} within it) at the first span not yet taken.
   */
  private static final class Partial extends Segment {
    final ResourceLayout layout;
    int scope;
    int span;
    int remaining;

    private Partial(ResourceLayout layout) {
      this.layout = layout;
      this.remaining = layout.spans;
    }

    static Partial of(Field field) {
      try {
        return new Partial(ResourceLayout.parse(field.buf, field.offset, field.length));
      } catch (IOException e) {
        // explode() walked these bytes already.
        throw new MalformedDataException("resource_spans does not walk", e);
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
     * The next {@code n} spans as one {@code resource_spans}; taking all that remain also takes
     * scopes without spans at the end.
     */
    Piece take(int n) {
      boolean rest = n == remaining;
      int firstScope = scope;
      int firstSpan = span;
      int lastScope = scope;
      int lastEnd = span;
      int need = n;
      ScopeLayout[] scopes = layout.scopes;
      while (scope < scopes.length && (need > 0 || rest)) {
        int count = scopes[scope].spans;
        int t = Math.min(count - span, need);
        need -= t;
        lastScope = scope;
        lastEnd = span + t;
        if (lastEnd == count) {
          scope++;
          span = 0;
        } else {
          span = lastEnd;
        }
      }
      remaining -= n;
      return new Piece(layout, firstScope, firstSpan, lastScope, lastEnd, n);
    }
  }

  /**
   * Spans {@code [firstSpan, ...)} of scope {@code firstScope} through {@code [..., lastEnd)} of
   * scope {@code lastScope} of one {@code resource_spans}, with the resource's other fields. Written
   * only when the request is assembled, outside the lock.
   */
  private static final class Piece extends Counted {
    final ResourceLayout layout;
    final int firstScope;
    final int firstSpan;
    final int lastScope;
    final int lastEnd;
    final int valueLength;

    Piece(ResourceLayout layout, int firstScope, int firstSpan, int lastScope, int lastEnd, int spans) {
      super(spans);
      this.layout = layout;
      this.firstScope = firstScope;
      this.firstSpan = firstSpan;
      this.lastScope = lastScope;
      this.lastEnd = lastEnd;
      int v = layout.otherLength;
      for (int s = firstScope; s <= lastScope && s < layout.scopes.length; s++) {
        v += layout.scopes[s].pieceLength(from(s), to(s));
      }
      this.valueLength = v;
    }

    private int from(int s) {
      return s == firstScope ? firstSpan : 0;
    }

    private int to(int s) {
      return s == lastScope ? lastEnd : layout.scopes[s].spans;
    }

    @Override
    int length() {
      return CodedOutputStream.computeUInt32SizeNoTag(RESOURCE_SPANS_TAG)
          + CodedOutputStream.computeUInt32SizeNoTag(valueLength)
          + valueLength;
    }

    @Override
    void writeTo(CodedOutputStream out) throws IOException {
      out.writeUInt32NoTag(RESOURCE_SPANS_TAG);
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

  /** Where the fields of one {@code resource_spans} lie in the bytes. */
  private static final class ResourceLayout {
    final byte[] buf;
    /** Every field of the resource_spans value, in order: [start, end) from tag to end. */
    final int[] fieldStart;
    final int[] fieldEnd;
    /** For each field, the index of its scope in {@link #scopes}, or -1 if it is not scope_spans. */
    final int[] fieldScope;
    final ScopeLayout[] scopes;
    /** Bytes of the fields other than scope_spans (resource, schema_url): copied into every piece. */
    final int otherLength;
    final int spans;

    private ResourceLayout(
        byte[] buf, int[] fieldStart, int[] fieldEnd, int[] fieldScope, ScopeLayout[] scopes) {
      this.buf = buf;
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
        n += s.spans;
      }
      this.spans = n;
    }

    /** Walks the resource_spans field (tag and length included) at {@code [offset, offset + length)}. */
    static ResourceLayout parse(byte[] buf, int offset, int length) throws IOException {
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
        if (tag == SCOPE_SPANS_TAG) {
          scopeOf.add(scopes.size());
          scopes.add(ScopeLayout.parse(in, start));
        } else {
          scopeOf.add(-1);
          in.skipField(tag);
        }
        starts.add(start);
        ends.add(in.position());
      }
      in.popLimit(limit);
      return new ResourceLayout(
          buf, starts.toArray(), ends.toArray(), scopeOf.toArray(), scopes.toArray(new ScopeLayout[0]));
    }
  }

  /** Where the fields of one {@code scope_spans} lie in the bytes. */
  private static final class ScopeLayout {
    /** The whole scope_spans field, tag to end. */
    final int start;
    final int end;
    /** Every field of the value in order, [start, end) from tag to end. */
    final int[] fieldStart;
    final int[] fieldEnd;
    /** For each field, its index among the spans, or -1 if it is not a span (scope, schema_url). */
    final int[] fieldSpan;
    /** spanPrefix[i]: bytes of spans 0..i-1 (their whole fields). */
    final int[] spanPrefix;
    final int otherLength;
    final int spans;

    private ScopeLayout(int start, int end, int[] fieldStart, int[] fieldEnd, int[] fieldSpan) {
      this.start = start;
      this.end = end;
      this.fieldStart = fieldStart;
      this.fieldEnd = fieldEnd;
      this.fieldSpan = fieldSpan;
      int n = 0;
      int other = 0;
      for (int f = 0; f < fieldSpan.length; f++) {
        if (fieldSpan[f] >= 0) {
          n++;
        } else {
          other += fieldEnd[f] - fieldStart[f];
        }
      }
      this.spans = n;
      this.otherLength = other;
      this.spanPrefix = new int[n + 1];
      for (int f = 0; f < fieldSpan.length; f++) {
        int s = fieldSpan[f];
        if (s >= 0) {
          spanPrefix[s + 1] = spanPrefix[s] + fieldEnd[f] - fieldStart[f];
        }
      }
    }

    /** Reads the scope_spans whose tag {@code in} just read (it started at {@code start}). */
    static ScopeLayout parse(WireReader in, int start) throws IOException {
      int limit = in.enter();
      IntList starts = new IntList();
      IntList ends = new IntList();
      IntList spanOf = new IntList();
      int spans = 0;
      while (true) {
        int fieldStart = in.position();
        int tag = in.readTag();
        if (tag == 0) {
          break;
        }
        spanOf.add(tag == SPANS_TAG ? spans++ : -1);
        in.skipField(tag);
        starts.add(fieldStart);
        ends.add(in.position());
      }
      in.popLimit(limit);
      return new ScopeLayout(
          start, in.position(), starts.toArray(), ends.toArray(), spanOf.toArray());
    }

    private boolean whole(int from, int to) {
      return from == 0 && to == spans;
    }

    private int valueLength(int from, int to) {
      return otherLength + spanPrefix[to] - spanPrefix[from];
    }

    /** Bytes of this scope_spans field holding spans [from, to). */
    int pieceLength(int from, int to) {
      if (whole(from, to)) {
        return end - start;
      }
      int v = valueLength(from, to);
      return CodedOutputStream.computeUInt32SizeNoTag(SCOPE_SPANS_TAG) + CodedOutputStream.computeUInt32SizeNoTag(v) + v;
    }

    void writePiece(CodedOutputStream out, byte[] buf, int from, int to) throws IOException {
      if (whole(from, to)) {
        out.writeRawBytes(buf, start, end - start);
        return;
      }
      out.writeUInt32NoTag(SCOPE_SPANS_TAG);
      out.writeUInt32NoTag(valueLength(from, to));
      for (int f = 0; f < fieldStart.length; f++) {
        int s = fieldSpan[f];
        if (s < 0 || (s >= from && s < to)) {
          out.writeRawBytes(buf, fieldStart[f], fieldEnd[f] - fieldStart[f]);
        }
      }
    }
  }

  /** A growable int array: layouts hold two ints per span, not two Integers. */
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
