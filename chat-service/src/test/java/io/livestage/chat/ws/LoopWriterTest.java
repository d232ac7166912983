package io.livestage.chat.ws;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateClientExtensionHandshaker;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fan-out's write path on Netty channels of its own (EmbeddedChannel, with the WebSocket encoder a real socket
 * has): a frame is encoded once and shared, frames arriving together are one batch with one flush per socket, a slow
 * socket is skipped and counted with a bounded buffer, and a compressing socket frames the payload itself.
 */
class LoopWriterTest {
    /** What Netty's outbound buffer counts for an entry beside its bytes (io.netty.transport.outboundBufferEntrySizeOverhead). */
    private static final int ENTRY_OVERHEAD = 96;
    private final Queue<Runnable> loopTasks = new ArrayDeque<>();
    private final LoopWriter writer = new LoopWriter(loopTasks::add);
    private final List<Socket> sockets = new ArrayList<>();

    /** One server-side socket: the WebSocket encoder, a flush counter that can hold flushes back, the owning handler. */
    private final class Socket {
        final EmbeddedChannel channel = new EmbeddedChannel();
        final AtomicBoolean stalled = new AtomicBoolean();
        final AtomicBoolean closed = new AtomicBoolean();
        final boolean compressed;
        final SocketWriter writer;
        int flushes;

        Socket(boolean compressed) {
            this.compressed = compressed;
            channel.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
                @Override
                public void flush(ChannelHandlerContext ctx) {
                    flushes++;
                    if (!stalled.get()) {
                        ctx.flush();
                    }
                }
            });
            channel.pipeline().addLast(new WebSocket13FrameEncoder(false));
            if (compressed) {
                channel.pipeline().addLast(deflate().newExtensionEncoder());
            }
            channel.pipeline().addLast("handler", new ChannelInboundHandlerAdapter());
            writer = SocketWriter.on(channel.pipeline().context("handler"), closed::get);
            sockets.add(this);
        }

        /** The bytes the socket sent, as a client decodes them: one text per frame. */
        List<String> received() {
            EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(false, true, 1 << 20));
            if (compressed) {
                client.pipeline().addLast(new PerMessageDeflateClientExtensionHandshaker()
                        .handshakeExtension(deflate().newReponseData()).newExtensionDecoder());
            }
            List<String> texts = new ArrayList<>();
            for (ByteBuf out; (out = channel.readOutbound()) != null;) {
                client.writeInbound(out);
            }
            for (TextWebSocketFrame frame; (frame = client.readInbound()) != null;) {
                texts.add(frame.text());
                frame.release();
            }
            client.finishAndReleaseAll();
            return texts;
        }
    }

    private static WebSocketServerExtension deflate() {
        return new PerMessageDeflateServerExtensionHandshaker()
                .handshakeExtension(new WebSocketExtensionData("permessage-deflate", Map.of()));
    }

    /** Queues {@code frame} for {@code to}, as Room#broadcast does for one loop. */
    private void broadcast(OutboundFrame frame, Socket... to) {
        writer.write(frame, batch -> {
            for (Socket s : to) {
                batch.write(s.writer, frame);
            }
        });
    }

    private void runLoop() {
        for (Runnable task; (task = loopTasks.poll()) != null;) {
            task.run();
        }
    }

    @AfterEach
    void closeChannels() {
        sockets.forEach(s -> s.channel.finishAndReleaseAll());
    }

    @Test
    void aFrameIsEncodedOnceAndEverySocketWritesTheSameBytes() {
        Socket a = new Socket(false);
        Socket b = new Socket(false);
        Socket c = new Socket(false);
        String text = "{\"v\":1,\"type\":\"chat.message\",\"text\":\"héllo ✓\"}";

        OutboundFrame frame = OutboundFrame.text(text);
        broadcast(frame, a, b, c);
        frame.release();
        runLoop();

        ByteBuf toA = (ByteBuf) a.channel.outboundMessages().peek();
        ByteBuf toB = (ByteBuf) b.channel.outboundMessages().peek();
        ByteBuf toC = (ByteBuf) c.channel.outboundMessages().peek();
        // one buffer behind the three writes: each socket holds a duplicate of the same memory, nothing was copied
        assertThat(toA.unwrap()).isSameAs(toB.unwrap()).isSameAs(toC.unwrap());
        assertThat(frame.references()).isEqualTo(3);
        assertThat(ByteBufUtil.hexDump(toA)).isEqualTo(ByteBufUtil.hexDump(toB)).isEqualTo(ByteBufUtil.hexDump(toC));
        for (Socket s : List.of(a, b, c)) {
            assertThat(s.received()).containsExactly(text);
        }
        assertThat(frame.references()).isZero();
    }

    @Test
    void theSharedFrameDecodesToItsTextAtEveryLengthBoundary() {
        Socket s = new Socket(false);
        List<String> texts = new ArrayList<>();
        for (int length : new int[] {0, 1, 125, 126, 127, 65_535, 65_536, 70_000}) {
            texts.add("é".repeat(length / 2) + "x".repeat(length % 2));
        }
        for (String text : texts) {
            OutboundFrame frame = OutboundFrame.text(text);
            assertThat(frame.wireLength() - text.getBytes(StandardCharsets.UTF_8).length)
                    .isEqualTo(text.getBytes(StandardCharsets.UTF_8).length <= 125 ? 2
                            : text.getBytes(StandardCharsets.UTF_8).length <= 65_535 ? 4 : 10);
            broadcast(frame, s);
            frame.release();
            runLoop();
        }
        assertThat(s.received()).containsExactlyElementsOf(texts);
    }

    @Test
    void framesArrivingTogetherAreOneBatchWithOneFlushPerSocket() {
        Socket a = new Socket(false);
        Socket b = new Socket(false);
        for (int i = 1; i <= 3; i++) {
            OutboundFrame frame = OutboundFrame.text("{\"n\":" + i + "}");
            broadcast(frame, a, b);
            frame.release();
        }
        assertThat(loopTasks).hasSize(1);

        runLoop();

        assertThat(a.flushes).isEqualTo(1);
        assertThat(b.flushes).isEqualTo(1);
        assertThat(a.received()).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        assertThat(b.received()).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
    }

    @Test
    void actionsRunInOrderWithTheFramesAroundThem() {
        Socket a = new Socket(false);
        OutboundFrame first = OutboundFrame.text("first");
        broadcast(first, a);
        first.release();
        writer.run(() -> a.channel.pipeline().context("handler").writeAndFlush(new TextWebSocketFrame("action")));
        OutboundFrame last = OutboundFrame.text("last");
        broadcast(last, a);
        last.release();

        runLoop();

        assertThat(a.received()).containsExactly("first", "action", "last");
    }

    @Test
    void aSlowSocketIsSkippedAndCountedWhileTheOthersKeepReceivingAndItsBufferStaysBounded() {
        Socket healthy = new Socket(false);
        Socket slow = new Socket(false);
        slow.channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(2_048, 4_096));
        slow.stalled.set(true); // its flushes never reach the network: the viewer stopped reading
        String pad = "x".repeat(1_000);
        long droppedBefore = ChatConnection.DROPPED.sum();

        for (int i = 0; i < 50; i++) {
            OutboundFrame frame = OutboundFrame.text(i + pad);
            broadcast(frame, healthy, slow);
            frame.release();
            runLoop();
            // at most the high-water mark, one frame and Netty's bookkeeping of it
            assertThat(slow.writer.pendingBytes()).isLessThanOrEqualTo(4_096 + frame.wireLength() + ENTRY_OVERHEAD);
        }

        long skipped = ChatConnection.DROPPED.sum() - droppedBefore;
        assertThat(skipped).isGreaterThan(40);
        assertThat(healthy.received()).hasSize(50);
        slow.stalled.set(false);
        slow.channel.flush();
        assertThat(slow.received()).hasSize((int) (50 - skipped));

        OutboundFrame after = OutboundFrame.text("caught up");
        broadcast(after, healthy, slow);
        after.release();
        runLoop();
        assertThat(slow.received()).containsExactly("caught up");
    }

    @Test
    void aSocketThatNegotiatedCompressionGetsThePayloadThroughItsOwnEncoders() {
        Socket plain = new Socket(false);
        Socket compressed = new Socket(true);
        String text = "{\"v\":1,\"type\":\"chat.message\",\"text\":\"" + "compress me ".repeat(20) + "\"}";

        OutboundFrame frame = OutboundFrame.text(text);
        broadcast(frame, plain, compressed);
        frame.release();
        runLoop();

        ByteBuf wire = (ByteBuf) compressed.channel.outboundMessages().peek();
        assertThat(wire.getByte(wire.readerIndex()) & 0x40).as("RSV1: a compressed message").isEqualTo(0x40);
        assertThat(wire.readableBytes()).isLessThan(frame.wireLength());
        assertThat(compressed.received()).containsExactly(text);
        assertThat(plain.received()).containsExactly(text);
        assertThat(frame.references()).isZero();
    }

    @Test
    void aClosedSocketGetsNothing() {
        Socket open = new Socket(false);
        Socket closing = new Socket(false);
        closing.closed.set(true);

        OutboundFrame frame = OutboundFrame.text("bye");
        broadcast(frame, open, closing);
        frame.release();
        runLoop();

        assertThat(open.received()).containsExactly("bye");
        assertThat(closing.received()).isEmpty();
        assertThat(closing.flushes).isZero();
    }
}
