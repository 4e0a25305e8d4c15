package io.aigw.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.collection.IntObjectHashMap;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One client HTTP/2 connection of the ExtProc load generator, speaking the frames itself: the
 * connection preface and SETTINGS, HPACK request headers (indexed into the server's dynamic table
 * after the first request, as nghttp2 does for Envoy), gRPC messages in DATA frames, flow control
 * both ways (the server's connection window is respected; received bytes are returned with
 * WINDOW_UPDATE), the server's stream limit, PING answers, and trailers decoded with Netty's HPACK
 * decoder. Everything written during one event-loop pass goes out in one buffer and one write, as a
 * C++ codec does; no per-frame promises or flow-controller queues. All of it runs on the
 * connection's event loop.
 */
final class ExtProcH2Connection extends ChannelInboundHandlerAdapter {

  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int DATA = 0;
  private static final int HEADERS = 1;
  private static final int RST_STREAM = 3;
  private static final int SETTINGS = 4;
  private static final int PING = 6;
  private static final int GOAWAY = 7;
  private static final int WINDOW_UPDATE = 8;
  private static final int CONTINUATION = 9;
  private static final int END_STREAM = 0x1;
  private static final int ACK = 0x1;
  private static final int END_HEADERS = 0x4;
  private static final int PADDED = 0x8;
  private static final int PRIORITY = 0x20;

  /** What this side lets the server send before a WINDOW_UPDATE, per stream and in all. */
  private static final int RECEIVE_WINDOW = 1 << 24;

  /** What one {@code Process} stream does with its answers. */
  abstract static class Call {
    ExtProcH2Connection connection;
    int streamId;
    boolean over;
    private ByteBuf partial;
    private int received;

    /** Sends the first message (the stream is open). */
    abstract void begin();

    /** One answer; {@code now} is when its frame was read. */
    abstract void answer(ProcessingResponse response, long now);

    /** The stream ended or broke before the exchange was done. */
    abstract void fail(String why);

    /** Sends a gRPC message (length-prefixed, as built by {@link #grpcMessage}). */
    void send(ByteBuf message) {
      connection.data(streamId, message, false);
    }

    /**
     * Half-closes the stream once the exchange is over. Envoy half-closes, or resets its side when
     * the server ended the call with its last answer; either is one frame the server reads and does
     * not answer.
     */
    void finish() {
      over = true;
      connection.data(streamId, Unpooled.EMPTY_BUFFER, true);
    }
  }

  final EventLoop loop;
  volatile boolean ready;
  private final Map<String, String> requestHeaders;
  private final DefaultHttp2HeadersDecoder hpack = new DefaultHttp2HeadersDecoder(false);
  private final IntObjectHashMap<Call> calls = new IntObjectHashMap<>();
  private final ArrayDeque<Call> waiting = new ArrayDeque<>();
  private final ArrayDeque<ByteBuf> blocked = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private ByteBuf in;
  private ByteBuf out;
  private ByteBuf headerBlock;
  private int headerStream;
  private boolean headerEnd;
  private boolean headersIndexed;
  private int nextStreamId = 1;
  private long maxStreams = Long.MAX_VALUE;
  private long sendWindow = 65_535;
  private long unacknowledged;

  ExtProcH2Connection(EventLoop loop, String authority, String path) {
    this.loop = loop;
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":authority", authority);
    headers.put(":path", path);
    headers.put("content-type", "application/grpc");
    headers.put("te", "trailers");
    headers.put("user-agent", "envoy");
    headers.put("x-envoy-internal", "true");
    this.requestHeaders = headers;
  }

  @Override
  public void channelActive(ChannelHandlerContext context) {
    ctx = context;
    ByteBuf b = buffer();
    b.writeBytes(PREFACE);
    frameHeader(b, 12, SETTINGS, 0, 0);
    b.writeShort(0x2).writeInt(0); // ENABLE_PUSH off
    b.writeShort(0x4).writeInt(RECEIVE_WINDOW); // INITIAL_WINDOW_SIZE
    frameHeader(b, 4, WINDOW_UPDATE, 0, 0);
    b.writeInt(RECEIVE_WINDOW - 65_535);
    flush();
  }

  /** Opens a stream for {@code call}, or queues it while the server's stream limit is reached. */
  void open(Call call) {
    call.connection = this;
    if (!waiting.isEmpty() || calls.size() >= maxStreams) {
      waiting.add(call);
      return;
    }
    start(call);
  }

  private void start(Call call) {
    call.streamId = nextStreamId;
    nextStreamId += 2;
    calls.put(call.streamId, call);
    writeRequestHeaders(call.streamId);
    call.begin();
  }

  /**
   * The request's HPACK block: the first time each header is a literal added to the server's
   * dynamic table, afterwards one byte referring to it (static-table entries for method and
   * scheme).
   */
  private void writeRequestHeaders(int streamId) {
    ByteBuf b = buffer();
    int lengthAt = b.writerIndex();
    frameHeader(b, 0, HEADERS, END_HEADERS, streamId);
    int start = b.writerIndex();
    b.writeByte(0x83); // :method POST
    b.writeByte(0x86); // :scheme http
    int count = requestHeaders.size();
    int i = 0;
    for (Map.Entry<String, String> header : requestHeaders.entrySet()) {
      if (headersIndexed) {
        // the last inserted entry has index 62, earlier ones count up from there
        b.writeByte(0x80 | (62 + count - 1 - i));
      } else {
        b.writeByte(0x40);
        hpackString(b, header.getKey());
        hpackString(b, header.getValue());
      }
      i++;
    }
    headersIndexed = true;
    b.setMedium(lengthAt, b.writerIndex() - start);
  }

  private static void hpackString(ByteBuf b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
    if (bytes.length >= 127) {
      throw new IllegalArgumentException("header too long for this encoder: " + s);
    }
    b.writeByte(bytes.length).writeBytes(bytes);
  }

  /** A DATA frame carrying {@code message} (not consumed) on {@code streamId}. */
  void data(int streamId, ByteBuf message, boolean end) {
    int length = message.readableBytes();
    if (sendWindow < length || !blocked.isEmpty()) {
      ByteBuf frame = Unpooled.buffer(9 + length);
      frameHeader(frame, length, DATA, end ? END_STREAM : 0, streamId);
      frame.writeBytes(message, message.readerIndex(), length);
      blocked.add(frame);
      return;
    }
    sendWindow -= length;
    ByteBuf b = buffer();
    frameHeader(b, length, DATA, end ? END_STREAM : 0, streamId);
    b.writeBytes(message, message.readerIndex(), length);
  }

  /** Writes what this pass produced in one go. */
  void flush() {
    if (out != null) {
      ctx.writeAndFlush(out, ctx.voidPromise());
      out = null;
    }
  }

  private ByteBuf buffer() {
    if (out == null) {
      out = ctx.alloc().directBuffer(8192);
    }
    return out;
  }

  private static void frameHeader(ByteBuf b, int length, int type, int flags, int streamId) {
    b.writeMedium(length).writeByte(type).writeByte(flags).writeInt(streamId);
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object msg) {
    ByteBuf bytes = (ByteBuf) msg;
    try {
      if (in == null) {
        readFrames(bytes);
        if (bytes.isReadable()) {
          in = context.alloc().heapBuffer(Math.max(4096, bytes.readableBytes() * 2));
          in.writeBytes(bytes);
        }
      } else {
        in.writeBytes(bytes);
        readFrames(in);
        if (!in.isReadable()) {
          in.release();
          in = null;
        } else {
          in.discardSomeReadBytes();
        }
      }
    } catch (Http2Exception | RuntimeException e) {
      System.err.println("generator connection broken: " + e);
      context.close();
    } finally {
      bytes.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext context) {
    flush();
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    calls.values().forEach(c -> c.fail("connection closed"));
    calls.clear();
  }

  private void readFrames(ByteBuf b) throws Http2Exception {
    while (b.readableBytes() >= 9) {
      int start = b.readerIndex();
      int length = b.getUnsignedMedium(start);
      if (b.readableBytes() < 9 + length) {
        return;
      }
      int type = b.getUnsignedByte(start + 3);
      int flags = b.getUnsignedByte(start + 4);
      int streamId = b.getInt(start + 5) & 0x7fffffff;
      ByteBuf payload = b.slice(start + 9, length);
      b.skipBytes(9 + length);
      frame(type, flags, streamId, payload);
    }
  }

  private void frame(int type, int flags, int streamId, ByteBuf payload) throws Http2Exception {
    switch (type) {
      case DATA -> onData(streamId, flags, payload);
      case HEADERS -> onHeaders(streamId, flags, payload);
      case CONTINUATION -> onContinuation(flags, payload);
      case RST_STREAM -> onReset(streamId, payload.getInt(payload.readerIndex()));
      case SETTINGS -> onSettings(flags, payload);
      case PING -> onPing(flags, payload);
      case WINDOW_UPDATE -> onWindowUpdate(streamId, payload.getInt(payload.readerIndex()));
      case GOAWAY -> System.err.println("server sent GOAWAY");
      default -> {
        // PRIORITY, PUSH_PROMISE (disabled) and unknown frames need no answer
      }
    }
  }

  private void onSettings(int flags, ByteBuf payload) {
    if ((flags & ACK) != 0) {
      ready = true;
      return;
    }
    while (payload.readableBytes() >= 6) {
      int id = payload.readUnsignedShort();
      long value = payload.readUnsignedInt();
      if (id == 0x3) {
        maxStreams = value;
      }
      // the server's INITIAL_WINDOW_SIZE (4 MiB) far exceeds what a stream sends here
    }
    frameHeader(buffer(), 0, SETTINGS, ACK, 0);
  }

  private void onPing(int flags, ByteBuf payload) {
    if ((flags & ACK) == 0) {
      ByteBuf b = buffer();
      frameHeader(b, 8, PING, ACK, 0);
      b.writeBytes(payload, payload.readerIndex(), 8);
    }
  }

  private void onWindowUpdate(int streamId, int increment) {
    if (streamId != 0) {
      return;
    }
    sendWindow += increment & 0x7fffffff;
    while (!blocked.isEmpty() && sendWindow >= blocked.peek().readableBytes() - 9) {
      ByteBuf frame = blocked.poll();
      sendWindow -= frame.readableBytes() - 9;
      buffer().writeBytes(frame);
    }
  }

  private void onData(int streamId, int flags, ByteBuf payload) {
    int length = payload.readableBytes();
    unacknowledged += length;
    if (unacknowledged >= RECEIVE_WINDOW / 2) {
      ByteBuf b = buffer();
      frameHeader(b, 4, WINDOW_UPDATE, 0, 0);
      b.writeInt((int) unacknowledged);
      unacknowledged = 0;
    }
    Call call = calls.get(streamId);
    if (call == null) {
      return;
    }
    call.received += length;
    if (call.received >= RECEIVE_WINDOW / 2) {
      ByteBuf b = buffer();
      frameHeader(b, 4, WINDOW_UPDATE, 0, streamId);
      b.writeInt(call.received);
      call.received = 0;
    }
    ByteBuf body = unpadded(flags, payload, false);
    if (!call.over) {
      messages(call, body);
    }
    if ((flags & END_STREAM) != 0) {
      closed(streamId, call, "stream ended without trailers");
    }
  }

  /** The gRPC messages in {@code body}; one split across frames waits for its rest. */
  private void messages(Call call, ByteBuf body) {
    ByteBuf source = body;
    if (call.partial != null) {
      call.partial.writeBytes(body);
      source = call.partial;
    }
    long now = System.nanoTime();
    while (!call.over && source.readableBytes() >= 5) {
      int length = source.getInt(source.readerIndex() + 1);
      if (source.readableBytes() < 5 + length) {
        break;
      }
      ProcessingResponse response;
      try {
        response = ProcessingResponse.parseFrom(source.nioBuffer(source.readerIndex() + 5, length));
      } catch (InvalidProtocolBufferException e) {
        call.fail("unparsable answer: " + e.getMessage());
        return;
      }
      source.skipBytes(5 + length);
      call.answer(response, now);
    }
    if (source.isReadable() && call.partial == null) {
      call.partial = Unpooled.buffer(source.readableBytes() * 2);
      call.partial.writeBytes(source);
    } else if (!source.isReadable() && call.partial != null) {
      call.partial = null;
    }
  }

  private static ByteBuf unpadded(int flags, ByteBuf payload, boolean headers) {
    ByteBuf b = payload;
    int pad = 0;
    if ((flags & PADDED) != 0) {
      pad = b.readUnsignedByte();
    }
    if (headers && (flags & PRIORITY) != 0) {
      b.skipBytes(5);
    }
    return b.slice(b.readerIndex(), b.readableBytes() - pad);
  }

  private void onHeaders(int streamId, int flags, ByteBuf payload) throws Http2Exception {
    ByteBuf block = unpadded(flags, payload, true);
    headerStream = streamId;
    headerEnd = (flags & END_STREAM) != 0;
    if ((flags & END_HEADERS) == 0) {
      headerBlock = Unpooled.buffer();
      headerBlock.writeBytes(block);
      return;
    }
    headerBlock(block);
  }

  private void onContinuation(int flags, ByteBuf payload) throws Http2Exception {
    headerBlock.writeBytes(payload);
    if ((flags & END_HEADERS) != 0) {
      ByteBuf block = headerBlock;
      headerBlock = null;
      headerBlock(block);
    }
  }

  /** Every block goes through the decoder, which keeps the server's HPACK dynamic table. */
  private void headerBlock(ByteBuf block) throws Http2Exception {
    Http2Headers headers = hpack.decodeHeaders(headerStream, block);
    if (!headerEnd) {
      return;
    }
    Call call = calls.get(headerStream);
    CharSequence status = headers.get("grpc-status");
    if (call != null && !call.over) {
      closed(headerStream, call, "stream ended, grpc-status " + status);
    } else {
      if (status != null && !"0".contentEquals(status)) {
        System.err.println("exchange ended with grpc-status " + status);
      }
      closed(headerStream, call, null);
    }
  }

  private void onReset(int streamId, int errorCode) {
    closed(streamId, calls.get(streamId), "stream reset, HTTP/2 error " + errorCode);
  }

  /** The server ended the stream; queued exchanges may now open theirs. */
  private void closed(int streamId, Call call, String failure) {
    if (call == null) {
      return;
    }
    calls.remove(streamId);
    if (!call.over && failure != null) {
      call.fail(failure);
    }
    while (!waiting.isEmpty() && calls.size() < maxStreams) {
      start(waiting.poll());
    }
  }

  /** A gRPC length-prefixed message, serialized once and sent many times. */
  static ByteBuf grpcMessage(byte[] message) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(5 + message.length);
    b.write(0);
    b.write(message.length >>> 24);
    b.write(message.length >>> 16);
    b.write(message.length >>> 8);
    b.write(message.length);
    b.writeBytes(message);
    return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(b.toByteArray()));
  }
}
