package io.livestage.chat.ws;

import java.util.concurrent.atomic.LongAdder;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/**
 * One server text frame for many sockets, encoded once: the frame's UTF-8 text and its WebSocket header (RFC 6455
 * §5.2: final, text, unmasked as a server's frames are) in one direct buffer, which every socket writes as a retained
 * duplicate — no copy, no re-encoding, no per-socket frame object. This is what uWebSockets' publish, Centrifugo
 * (gorilla's {@code PreparedMessage}) and Socket.IO's encode-once broadcast do.
 *
 * <p>Reference counted: the creator holds one reference and {@link #release()}s it when it has handed the frame on;
 * whoever keeps the frame for later {@link #retain()}s it first.
 */
public final class OutboundFrame {
    /** Frames encoded for a broadcast (each then written to any number of sockets). */
    public static final LongAdder ENCODED = new LongAdder();

    private final String text;
    private final ByteBuf wire;
    private final int headerLength;

    private OutboundFrame(String text, ByteBuf wire, int headerLength) {
        this.text = text;
        this.wire = wire;
        this.headerLength = headerLength;
    }

    /** Encodes {@code text} once: header and UTF-8 payload in one buffer. */
    public static OutboundFrame text(String text) {
        int length = ByteBufUtil.utf8Bytes(text);
        int header = length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10;
        ByteBuf wire = ByteBufAllocator.DEFAULT.directBuffer(header + length, header + length);
        wire.writeByte(0x81); // FIN, opcode 1 (text), no extension bits
        if (length <= 125) {
            wire.writeByte(length);
        } else if (length <= 0xFFFF) {
            wire.writeByte(126);
            wire.writeShort(length);
        } else {
            wire.writeByte(127);
            wire.writeLong(length);
        }
        ByteBufUtil.reserveAndWriteUtf8(wire, text, length);
        ENCODED.increment();
        return new OutboundFrame(text, wire, header);
    }

    /** The frame's text, for a socket that cannot take the shared buffer. */
    public String text() {
        return text;
    }

    /** The complete frame as it goes on the wire, for one socket: a retained duplicate that socket's write releases. */
    ByteBuf wire() {
        return wire.retainedDuplicate();
    }

    /**
     * The payload alone as a text frame, for one socket whose own encoders must frame it (a socket that negotiated a
     * compression extension): the bytes are still shared, only framing and compression are that socket's.
     */
    TextWebSocketFrame payloadFrame() {
        return new TextWebSocketFrame(true, 0, wire.retainedSlice(headerLength, wire.readableBytes() - headerLength));
    }

    /** The frame's bytes on the wire, header included. */
    public int wireLength() {
        return wire.readableBytes();
    }

    public OutboundFrame retain() {
        wire.retain();
        return this;
    }

    public void release() {
        wire.release();
    }

    /** References still held; 0 once every socket and every holder is done with the frame. */
    public int references() {
        return wire.refCnt();
    }
}
