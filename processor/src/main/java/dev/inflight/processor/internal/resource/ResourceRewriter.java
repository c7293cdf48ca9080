package dev.inflight.processor.internal.resource;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.inflight.otlp.wire.OtlpWire;
import dev.inflight.otlp.wire.WireReader;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Changes the resource of every {@code ResourceSpans} / {@code ResourceMetrics} / {@code
 * ResourceLogs} of an encoded OTLP export request and copies every other byte through: only the
 * {@code Resource} messages are decoded; scopes, spans, metrics, log records and {@code schema_url}
 * are copied as they are, never parsed.
 *
 * <p>The three export requests share this layout — a repeated per-resource message, whose {@code
 * Resource} is one of its fields — so one rewriter serves them all, given the two tags.
 *
 * <p>Most batches from one sender carry the same resource, so the last resource seen and what it
 * became are remembered: a batch whose resource bytes match costs a byte comparison, not a parse.
 * Thread-safe.
 */
public final class ResourceRewriter {
  private static final byte[] EMPTY = new byte[0];

  /** {@code resource_spans} / {@code resource_metrics} / {@code resource_logs} of the request. */
  private final int resourcesTag;
  /** {@code resource} of one of those. */
  private final int resourceTag;
  /** Returns its argument itself when it changes nothing. */
  private final UnaryOperator<Resource> actions;
  private volatile Memo memo;

  /** The encoded resource last seen and its encoding after the actions; both never modified. */
  private record Memo(byte[] in, byte[] out) {}

  /** A run of input bytes copied as they are. */
  private record Raw(int start, int end) {}

  /**
   * A per-resource message written anew: its resource field, then its other fields copied.
   *
   * @param others pairs of [start, end) input offsets, in order
   */
  private record Rewritten(byte[] resource, boolean writeResource, int[] others, int bodyLength) {}

  private ResourceRewriter(UnaryOperator<Resource> actions, int resourcesTag, int resourceTag) {
    this.actions = actions;
    this.resourcesTag = resourcesTag;
    this.resourceTag = resourceTag;
  }

  public static ResourceRewriter traces(UnaryOperator<Resource> actions) {
    return new ResourceRewriter(
        actions, OtlpWire.TraceRequest.RESOURCE_SPANS, OtlpWire.ResourceSpans.RESOURCE);
  }

  public static ResourceRewriter metrics(UnaryOperator<Resource> actions) {
    return new ResourceRewriter(
        actions, OtlpWire.MetricsRequest.RESOURCE_METRICS, OtlpWire.ResourceMetrics.RESOURCE);
  }

  public static ResourceRewriter logs(UnaryOperator<Resource> actions) {
    return new ResourceRewriter(
        actions, OtlpWire.LogsRequest.RESOURCE_LOGS, OtlpWire.ResourceLogs.RESOURCE);
  }

  /**
   * @return the rewritten request, or {@code encoded} itself (same array) when no resource changed
   * @throws InvalidProtocolBufferException if {@code encoded} is not a valid export request
   */
  public byte[] rewrite(byte[] encoded) throws InvalidProtocolBufferException {
    List<Object> pieces = new ArrayList<>();
    boolean changed = false;
    try {
      WireReader in = new WireReader(encoded);
      while (true) {
        int tagAt = in.position();
        int tag = in.readTag();
        if (tag == 0) {
          break;
        }
        if (tag != resourcesTag) {
          in.skipField(tag);
          addRaw(pieces, tagAt, in.position());
          continue;
        }
        int length = in.readLength(); // checks the length against the buffer
        int start = in.position();
        in.skip(length);
        Rewritten r = rewriteOne(encoded, start, start + length);
        if (r == null) {
          addRaw(pieces, tagAt, start + length);
        } else {
          pieces.add(r);
          changed = true;
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
    return changed ? write(encoded, pieces) : encoded;
  }

  private static void addRaw(List<Object> pieces, int start, int end) {
    if (!pieces.isEmpty() && pieces.get(pieces.size() - 1) instanceof Raw last && last.end == start) {
      pieces.set(pieces.size() - 1, new Raw(last.start, end));
    } else {
      pieces.add(new Raw(start, end));
    }
  }

  /** One per-resource message at [start, end); null when it stays as it is. */
  private Rewritten rewriteOne(byte[] buf, int start, int end) throws IOException {
    WireReader in = new WireReader(buf, start, end - start);
    int[] others = new int[4];
    int n = 0;
    int otherBytes = 0;
    int resourceCount = 0;
    int resStart = 0;
    int resEnd = 0;
    Resource.Builder merged = null; // only when the resource field occurs more than once
    while (true) {
      int tagAt = in.position();
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      if (tag == resourceTag) {
        int length = in.readLength();
        int at = in.position();
        in.skip(length);
        if (resourceCount == 0) {
          resStart = at;
          resEnd = at + length;
        } else {
          // Protobuf merges repeated occurrences of a message field; so do we, into one.
          if (merged == null) {
            merged = Resource.newBuilder().mergeFrom(buf, resStart, resEnd - resStart);
          }
          merged.mergeFrom(buf, at, length);
        }
        resourceCount++;
        continue;
      }
      in.skipField(tag);
      int after = in.position();
      otherBytes += after - tagAt;
      if (n > 0 && others[n - 1] == tagAt) {
        others[n - 1] = after; // adjacent: one copy
      } else {
        if (n == others.length) {
          others = Arrays.copyOf(others, n * 2);
        }
        others[n++] = tagAt;
        others[n++] = after;
      }
    }

    byte[] resource;
    if (merged != null) {
      resource = actions.apply(merged.build()).toByteArray();
    } else {
      resource = resource(buf, resStart, resEnd);
      if (Arrays.equals(resource, 0, resource.length, buf, resStart, resEnd)) {
        return null;
      }
    }
    boolean writeResource = resourceCount > 0 || resource.length > 0;
    int body =
        otherBytes
            + (writeResource
                ? CodedOutputStream.computeUInt32SizeNoTag(resourceTag)
                    + CodedOutputStream.computeUInt32SizeNoTag(resource.length)
                    + resource.length
                : 0);
    return new Rewritten(resource, writeResource, Arrays.copyOf(others, n), body);
  }

  /** The resource encoded at [start, end) after the actions, from the memo when it was seen last. */
  private byte[] resource(byte[] buf, int start, int end) throws InvalidProtocolBufferException {
    Memo m = memo;
    if (m != null && Arrays.equals(buf, start, end, m.in, 0, m.in.length)) {
      return m.out;
    }
    Resource before =
        start == end ? Resource.getDefaultInstance() : Resource.parser().parseFrom(buf, start, end - start);
    Resource after = actions.apply(before);
    byte[] in = start == end ? EMPTY : Arrays.copyOfRange(buf, start, end);
    byte[] out = after == before ? in : after.toByteArray();
    memo = new Memo(in, out);
    return out;
  }

  private byte[] write(byte[] buf, List<Object> pieces) throws InvalidProtocolBufferException {
    long size = 0;
    for (Object p : pieces) {
      if (p instanceof Raw raw) {
        size += raw.end - raw.start;
      } else {
        Rewritten r = (Rewritten) p;
        size +=
            CodedOutputStream.computeUInt32SizeNoTag(resourcesTag)
                + CodedOutputStream.computeUInt32SizeNoTag(r.bodyLength)
                + r.bodyLength;
      }
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw new InvalidProtocolBufferException("the request would exceed 2 GiB with its new resources");
    }
    byte[] out = new byte[(int) size];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      for (Object p : pieces) {
        if (p instanceof Raw raw) {
          cos.writeRawBytes(buf, raw.start, raw.end - raw.start);
          continue;
        }
        Rewritten r = (Rewritten) p;
        cos.writeUInt32NoTag(resourcesTag);
        cos.writeUInt32NoTag(r.bodyLength);
        if (r.writeResource) {
          cos.writeUInt32NoTag(resourceTag);
          cos.writeUInt32NoTag(r.resource.length);
          cos.writeRawBytes(r.resource);
        }
        for (int i = 0; i < r.others.length; i += 2) {
          cos.writeRawBytes(buf, r.others[i], r.others[i + 1] - r.others[i]);
        }
      }
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("sizes computed for the rewritten request were wrong", e);
    }
    return out;
  }
}
