package dev.inflight.receiver.otlp;

import dev.inflight.component.auth.ServerAuthenticator;
import dev.inflight.config.configauth.BearerToken;
import dev.inflight.config.configcompression.ContentEncoding;
import dev.inflight.config.confighttp.Cors;
import dev.inflight.config.confignet.ListenEndpoint;
import dev.inflight.config.configtls.ServerTls;
import dev.inflight.otlp.wire.InvalidRequestException;

import dev.inflight.otlp.json.OtlpJson;

import com.google.rpc.Code;
import dev.inflight.component.Refusal;
import dev.inflight.component.Signal;
import dev.inflight.component.telemetry.ListenException;
import dev.inflight.component.telemetry.ReceiverMetrics;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * OTLP/HTTP on Netty: {@code POST} to {@code traces_url_path}, {@code metrics_url_path} or {@code
 * logs_url_path} with an
 * {@code application/x-protobuf} or {@code application/json} body, optionally gzip, deflate or zstd
 * encoded; the answer is the empty {@code Export*ServiceResponse} in the request's content type.
 * Errors follow the Collector: 404 for other paths, 405 (with {@code Allow: POST}) for other methods,
 * 415 for other content types or encodings, 400 with a {@code google.rpc.Status} body for bodies that
 * do not decode, 413 past {@code max_request_body_size} (as sent, or once decompressed), 503 with
 * {@code Retry-After} when the pipeline asks the sender to retry. Keep-alive connections stay open
 * across good and bad requests alike, except after a 413 (the rest of the body is not read).
 *
 * <p>With {@code tls} the connection is HTTPS (Netty's {@code SslHandler} first in the pipeline);
 * with {@code auth} a request without the bearer token is answered 401 on its headers; with {@code
 * cors} preflights are answered 204 (before authentication) and answers to allowed origins carry
 * {@code Access-Control-Allow-Origin}.
 *
 * <p>The event loop only collects the body (into one array, sized from {@code Content-Length} when
 * there is one); decompressing, converting JSON, checking and handing on run on the receiver's
 * handler threads, with reading paused on that connection until the answer is written.
 */
final class OtlpHttpServer extends OtlpServer<OtlpReceiverConfig.Http> {
  static final String PROTOBUF = "application/x-protobuf";
  static final String JSON = "application/json";

  /** A connection with nothing in flight is closed after this long without a byte. */
  static final int IDLE_SECONDS = 120;

  /**
   * Requests read and not yet answered (waiting for a handler thread, being handled, answer being
   * written). Past this the receiver answers 503 with {@code Retry-After: 1} at once rather than
   * hold more bodies in memory.
   */
  static final int MAX_PENDING_REQUESTS = 32;

  private static final byte[] EMPTY = new byte[0];
  /** How long a closing connection keeps reading what the client still sends (see lingeringClose). */
  static final long LINGER_MILLIS = 2_000;
  private static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.UTF_8);

  private final int limit;
  private final Map<String, Signal> routes;
  private final AtomicInteger pending = new AtomicInteger();
  /** {@code auth}: null when off. */
  private final @Nullable ServerAuthenticator authenticator;
  /** {@code cors}: null when off. */
  private final Cors cors;
  /** {@code tls}: null when plaintext; made at start. */
  private SslContext ssl;
  private Channel serverChannel;

  OtlpHttpServer(Shared shared, OtlpReceiverConfig.Http config, ReceiverMetrics counts,
      @Nullable ServerAuthenticator authenticator) {
    super("http", shared, config, counts);
    this.authenticator = authenticator;
    this.cors = Cors.of(config.cors());
    this.limit = (int) Math.min(config.maxRequestBodySize().bytes(), Integer.MAX_VALUE - 16);
    // Only signals with a pipeline: the others' paths answer 404, as in the Collector.
    HashMap<String, Signal> r = new HashMap<>();
    for (Signal signal : Signal.values()) {
      if (receiver.serves(signal)) {
        r.put(config.urlPath(signal), signal);
      }
    }
    this.routes = Map.copyOf(r);
  }

  /** Binds and serves. @throws ListenException {@code otlp receiver (http) cannot listen on ...} */
  void start() throws ListenException {
    InetSocketAddress address = ListenEndpoint.resolve(who, config.endpoint());
    if (config.tls() != null) {
      // Reads and checks the PEM files now: a missing file fails the start, naming it.
      ssl = ServerTls.http(config.tls(), "receivers." + componentId + ".protocols.http.tls");
    }
    SslContext tls = ssl;
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (tls != null) {
                      ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                    }
                    ch.pipeline()
                        .addLast(new IdleStateHandler(IDLE_SECONDS, 0, 0))
                        .addLast(
                            new HttpServerCodec(
                                new HttpDecoderConfig()
                                    .setMaxInitialLineLength(8192)
                                    .setMaxHeaderSize(64 * 1024)
                                    .setMaxChunkSize(64 * 1024)))
                        .addLast(new Handler());
                  }
                });
    serverChannel = ListenEndpoint.bind(who, config.endpoint(), () -> {
      ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
      if (!bound.isSuccess()) {
        throw bound.cause() instanceof Exception e ? e : new ListenException(who, config.endpoint(), bound.cause());
      }
      return bound.channel();
    });
  }

  InetSocketAddress address() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /** No new connections; requests in flight and open connections go on until the loops stop. */
  void stopAccepting() {
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
    }
  }

  /**
   * Waits (at most {@code nanos}) until every request handed to a handler thread has its answer
   * written: the event loops close connections first when they stop, so they must not stop
   * before that.
   */
  void awaitAnswersWritten(long nanos) {
    long end = System.nanoTime() + nanos;
    while (pending.get() > 0 && System.nanoTime() < end) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The kind of body, from {@code Content-Type} (parameters such as charset ignored). */
  private enum BodyType {
    PROTOBUF(OtlpHttpServer.PROTOBUF),
    JSON(OtlpHttpServer.JSON);

    final String mime;

    BodyType(String mime) {
      this.mime = mime;
    }

    static BodyType parse(String header) {
      if (header == null) {
        return null;
      }
      int semicolon = header.indexOf(';');
      String mime = (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
      return switch (mime) {
        case OtlpHttpServer.PROTOBUF -> PROTOBUF;
        case OtlpHttpServer.JSON -> JSON;
        default -> null;
      };
    }
  }

  /** The finished answer to one request; {@code headers} are added as they are (CORS). */
  private record Answer(
      int status, String contentType, byte[] body, long retryAfterSeconds, boolean close, Map<String, String> headers) {
    Answer {
      headers = Objects.requireNonNull(headers, "headers");
    }

    Answer(int status, String contentType, byte[] body, long retryAfterSeconds, boolean close) {
      this(status, contentType, body, retryAfterSeconds, close, Map.of());
    }

    Answer closing() {
      return new Answer(status, contentType, body, 0, true, headers);
    }
  }

  /** Per connection: collects one request at a time and answers it. */
  private final class Handler extends ChannelInboundHandlerAdapter {
    // The request being read.
    private HttpVersion version;
    private boolean keepAlive;
    private Signal signal;
    private BodyType type;
    private ContentEncoding encoding;
    private byte[] body;
    private int received;
    /** Decided from the headers already (404, 405, 415): sent once the body has gone by. */
    private Answer rejection;
    private long discarded;
    /** The CORS headers for the answer to the request being read (empty without CORS). */
    private Map<String, String> corsHeaders = Map.of();
    /** A request is being processed on a handler thread, or an answer is being written. */
    private boolean busy;
    /** Messages that were already decoded when reading paused (pipelined requests). */
    private final ArrayDeque<Object> backlog = new ArrayDeque<>();
    private boolean closing;
    /** The answer is out and the output shut: what still arrives is read and dropped. */
    private boolean lingering;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (lingering) {
        ReferenceCountUtil.release(msg);
        return;
      }
      if (busy || !backlog.isEmpty()) {
        backlog.add(msg);
        return;
      }
      read(ctx, msg);
    }

    private void read(ChannelHandlerContext ctx, Object msg) {
      try {
        if (closing) {
          return;
        }
        if (msg instanceof HttpRequest request) {
          begin(ctx, request);
        }
        if (msg instanceof HttpContent content && !closing) {
          content(ctx, content);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    private void begin(ChannelHandlerContext ctx, HttpRequest request) {
      version = request.protocolVersion();
      keepAlive = HttpUtil.isKeepAlive(request);
      signal = null;
      type = null;
      encoding = null;
      body = null;
      received = 0;
      rejection = null;
      discarded = 0;
      corsHeaders = Map.of();
      if (request.decoderResult().isFailure()) {
        Throwable cause = request.decoderResult().cause();
        int status = cause instanceof TooLongHttpHeaderException ? 431
            : cause instanceof TooLongHttpLineException ? 414 : 400;
        respond(ctx, text(status, status + " bad request: " + (cause == null ? "cannot parse" : cause.getMessage()), true));
        return;
      }
      if (cors != null) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (HttpMethod.OPTIONS.equals(request.method()) && origin != null
            && request.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD)) {
          // A preflight: answered before authentication (browsers send no credentials with it).
          rejectAtHeaders(ctx, request, new Answer(204, null, EMPTY, 0, false, cors.preflight(origin,
              request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD),
              request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS))));
          return;
        }
        corsHeaders = cors.actual(origin);
      }
      if (authenticator != null) {
        String why = authenticator.reject(request.headers()::get);
        if (why != null) {
          counts.refusedRequest(UNAUTHENTICATED);
          log.debug("{}: unauthenticated request from {}: {}", who, ctx.channel().remoteAddress(), why);
          BodyType t = BodyType.parse(request.headers().get(HttpHeaderNames.CONTENT_TYPE));
          rejectAtHeaders(ctx, request, status(401, t == null ? BodyType.PROTOBUF : t, why, 0, false));
          return;
        }
      }
      Signal s = routes.get(path(request.uri()));
      if (s == null) {
        rejectAtHeaders(ctx, request, text(404, "404 page not found", false));
        return;
      }
      if (!HttpMethod.POST.equals(request.method())) {
        rejectAtHeaders(ctx, request, text(405, "405 method not allowed, supported: [POST]", false));
        return;
      }
      BodyType t = BodyType.parse(request.headers().get(HttpHeaderNames.CONTENT_TYPE));
      if (t == null) {
        rejectAtHeaders(ctx, request, text(415,
            "415 unsupported media type, supported: [" + JSON + ", " + PROTOBUF + "]", false));
        return;
      }
      ContentEncoding e = ContentEncoding.parse(request.headers().get(HttpHeaderNames.CONTENT_ENCODING));
      if (e == null) {
        rejectAtHeaders(ctx, request, text(415, "415 unsupported Content-Encoding \""
            + request.headers().get(HttpHeaderNames.CONTENT_ENCODING) + "\", supported: " + ContentEncoding.supported(), false));
        return;
      }
      long length = HttpUtil.getContentLength(request, -1L);
      if (length > limit) {
        // Not read at all: answer at once and close, as Go's MaxBytesReader does.
        respond(ctx, status(413, t, "body of " + length + " bytes is larger than max_request_body_size (" + limit + " bytes)", 0, true));
        return;
      }
      signal = s;
      type = t;
      encoding = e;
      body = new byte[length >= 0 ? (int) length : Math.min(64 * 1024, limit + 1)];
      if (HttpUtil.is100ContinueExpected(request)) {
        ctx.writeAndFlush(new DefaultFullHttpResponse(version, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
      }
    }

    private void rejectAtHeaders(ChannelHandlerContext ctx, HttpRequest request, Answer answer) {
      if (HttpUtil.is100ContinueExpected(request)) {
        // The client waits before sending the body: answer now, and close rather than read it.
        respond(ctx, answer.closing());
      } else {
        rejection = answer;
      }
    }

    private void content(ChannelHandlerContext ctx, HttpContent content) {
      if (content.decoderResult().isFailure()) {
        body = null;
        rejection = null;
        respond(ctx, text(400, "400 bad request: " + content.decoderResult().cause().getMessage(), true));
        return;
      }
      ByteBuf bytes = content.content();
      boolean last = content instanceof LastHttpContent;
      if (rejection != null) {
        discarded += bytes.readableBytes();
        if (discarded > limit) {
          respond(ctx, rejection.closing());
        } else if (last) {
          respond(ctx, rejection);
        }
        return;
      }
      if (body == null) {
        return; // a request already answered (e.g. 413 at the headers)
      }
      int n = bytes.readableBytes();
      if (n > 0) {
        if ((long) received + n > limit) {
          body = null;
          respond(ctx, status(413, type, "body is larger than max_request_body_size (" + limit + " bytes)", 0, true));
          return;
        }
        if (received + n > body.length) {
          body = Arrays.copyOf(body, (int) Math.min((long) limit + 1, Math.max((long) body.length * 2, received + n)));
        }
        bytes.readBytes(body, received, n);
        received += n;
      }
      if (last) {
        byte[] request = received == body.length ? body : Arrays.copyOf(body, received);
        body = null;
        dispatch(ctx, signal, type, encoding, request);
      }
    }

    /** Hands the body to a handler thread; reading waits until the answer is out. */
    private void dispatch(ChannelHandlerContext ctx, Signal signal, BodyType type, ContentEncoding encoding, byte[] request) {
      busy = true;
      ctx.channel().config().setAutoRead(false);
      if (pending.incrementAndGet() > MAX_PENDING_REQUESTS) {
        pending.decrementAndGet();
        respond(ctx, status(503, type, "the receiver is busy: too many requests in progress", 1, false));
        return;
      }
      try {
        executor.execute(() -> {
          Answer answer = process(signal, type, encoding, request);
          try {
            respond(ctx, answer, true); // pending drops once the answer is written
          } catch (RuntimeException e) {
            pending.decrementAndGet();
            throw e;
          }
        });
      } catch (RejectedExecutionException e) {
        pending.decrementAndGet();
        respond(ctx, status(503, type, "the receiver is shutting down", 1, true));
      }
    }

    /** Writes an answer (from any thread) and carries on with the connection once it is out. */
    private void respond(ChannelHandlerContext ctx, Answer answer) {
      respond(ctx, answer, false);
    }

    private void respond(ChannelHandlerContext ctx, Answer answer, boolean dispatched) {
      boolean close = answer.close() || !keepAlive;
      FullHttpResponse response =
          new DefaultFullHttpResponse(
              version == null ? HttpVersion.HTTP_1_1 : version,
              HttpResponseStatus.valueOf(answer.status()),
              Unpooled.wrappedBuffer(answer.body()));
      if (answer.status() != 204) {
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
            .setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
      }
      answer.headers().forEach(response.headers()::set);
      corsHeaders.forEach(response.headers()::set);
      if (answer.status() == 401) {
        response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE,
            authenticator == null ? BearerToken.SCHEME : authenticator.challenge());
      }
      if (answer.status() == 405) {
        response.headers().set(HttpHeaderNames.ALLOW, HttpMethod.POST.name());
      }
      if (answer.retryAfterSeconds() > 0 && answer.status() == 503) {
        response.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString(answer.retryAfterSeconds()));
      }
      HttpUtil.setKeepAlive(response, !close);
      if (ctx.executor().inEventLoop()) {
        // Until this answer is out, what arrives next waits in the backlog (answers stay in order).
        busy = true;
        closing |= close;
      }
      ctx.writeAndFlush(response)
          .addListener(
              (ChannelFutureListener)
                  f -> {
                    if (dispatched) {
                      pending.decrementAndGet();
                    }
                    if (close || !f.isSuccess()) {
                      closing = true;
                      backlog.forEach(ReferenceCountUtil::release);
                      backlog.clear();
                      if (f.isSuccess()) {
                        lingeringClose(f.channel());
                      } else {
                        f.channel().close();
                      }
                      return;
                    }
                    busy = false;
                    while (!busy && !closing && !backlog.isEmpty()) {
                      read(ctx, backlog.poll());
                    }
                    if (!busy) {
                      f.channel().config().setAutoRead(true);
                    }
                  });
    }

    /**
     * Closes after an answer that ends the connection, without losing the answer: closing a socket
     * with unread bytes makes the kernel send a reset, and a client still writing its body (a 413
     * at the headers, before the body was read) then reads the reset instead of the answer. So the
     * output is shut first (the client reads the whole answer, then end of stream), what the client
     * still sends is read and dropped, and the connection closes when the client closes its side
     * or after {@link #LINGER_MILLIS}, as Apache httpd and nginx linger.
     */
    private void lingeringClose(Channel channel) {
      if (!(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
        channel.close();
        return;
      }
      lingering = true;
      duplex.shutdownOutput().addListener(done -> {
        if (!done.isSuccess()) {
          channel.close();
          return;
        }
        channel.config().setAutoRead(true);
        channel.eventLoop().schedule(() -> channel.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
      });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof IdleStateEvent && !busy) {
        ctx.close();
        return;
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      body = null;
      backlog.forEach(ReferenceCountUtil::release);
      backlog.clear();
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (!(cause instanceof IOException)) {
        log.debug("{}: closing connection from {}: {}", who, ctx.channel().remoteAddress(), cause.toString());
      }
      ctx.close();
    }
  }

  /** Runs on a handler thread: decode, convert, check, hand on; never throws. */
  private Answer process(Signal signal, BodyType type, ContentEncoding encoding, byte[] body) {
    try {
      byte[] decoded = encoding.decode(body, limit);
      byte[] request = type == BodyType.PROTOBUF ? decoded : protobufFromJson(signal, decoded);
      receiver.consume(signal, request, counts, "http");
      return new Answer(200, type.mime, type == BodyType.JSON ? EMPTY_JSON : EMPTY, 0, false);
    } catch (InvalidRequestException e) {
      log.debug("bad {} request over http: {}", signal, e.getMessage());
      // After a 413 on the decompressed size the whole body was read: the connection can stay.
      return status(e.isTooLarge() ? 413 : 400, type, e.getMessage(), 0, false);
    } catch (Refusal r) {
      int status = OtlpErrors.httpStatus(r);
      return status(status, type, r.getMessage() == null ? "refused" : r.getMessage(),
          status == 503 ? OtlpErrors.retryAfterSeconds(r) : 0, false);
    } catch (RuntimeException e) {
      return status(500, type, "internal error: " + e, 0, false); // logged where it was caught
    } catch (Error e) {
      // Answer whatever happens: a connection must never wait for an answer that will not come.
      log.error("{} request over http failed", signal, e);
      return status(500, type, "internal error: " + e, 0, false);
    }
  }

  /** An OTLP/JSON request of {@code signal} as the protobuf bytes the pipeline takes. */
  private static byte[] protobufFromJson(Signal signal, byte[] json) throws InvalidRequestException {
    return switch (signal) {
      case TRACES -> OtlpJson.traces(json);
      case METRICS -> OtlpJson.metrics(json);
      case LOGS -> OtlpJson.logs(json);
    };
  }

  private static Answer text(int status, String message, boolean close) {
    return new Answer(status, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8), 0, close);
  }

  /** An error answer with a {@code google.rpc.Status} body in the request's content type. */
  private static Answer status(int status, BodyType type, String message, long retryAfterSeconds, boolean close) {
    Code code = OtlpErrors.grpcCode(status);
    com.google.rpc.Status body =
        com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message).build();
    if (type == BodyType.JSON) {
      return new Answer(status, JSON, OtlpJson.print(body).getBytes(StandardCharsets.UTF_8), retryAfterSeconds, close);
    }
    return new Answer(status, PROTOBUF, body.toByteArray(), retryAfterSeconds, close);
  }

  /** The path of a request target: query and fragment dropped, absolute-form reduced to its path. */
  static String path(String uri) {
    String p = uri;
    int scheme = p.indexOf("://");
    if (scheme > 0 && scheme < 8) {
      int slash = p.indexOf('/', scheme + 3);
      p = slash < 0 ? "/" : p.substring(slash);
    }
    int q = p.indexOf('?');
    if (q >= 0) {
      p = p.substring(0, q);
    }
    int hash = p.indexOf('#');
    if (hash >= 0) {
      p = p.substring(0, hash);
    }
    return p;
  }
}
