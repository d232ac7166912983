package io.livestage.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.EventLoop;
import io.quarkus.test.junit.QuarkusTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.livestage.chat.room.Room;
import io.livestage.chat.room.RoomRegistry;
import io.livestage.chat.ws.ChatConnection;
import io.livestage.chat.ws.OutboundFrame;
import io.livestage.chat.ws.SocketWriter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The room's fan-out on real sockets: each socket is opened, closed, grouped and written to on the event loop that
 * owns its channel; every socket of every loop gets the same frame; a viewer that stops reading is skipped and
 * counted with a bounded buffer while the others keep receiving; compression is not negotiated.
 */
@QuarkusTest
class FanOutTest extends ChatServiceTestBase {
    private static final Predicate<JsonNode> BULK = f -> "test.bulk".equals(f.path("type").asText());

    @Inject
    RoomRegistry rooms;

    @Test
    void socketsLiveOnTheEventLoopOfTheirChannelAndEveryLoopGetsTheFrame() throws Exception {
        String host = Sessions.user("host");
        String session = Sessions.live(host, "PUBLIC");
        List<RoomSocket> sockets = new ArrayList<>();
        try {
            sockets.add(RoomSocket.joined(port, session, host));
            for (int i = 0; i < 7; i++) {
                sockets.add(RoomSocket.joined(port, session, null));
            }
            Room room = rooms.room(session);
            Map<EventLoop, Collection<ChatConnection>> groups = room.socketsByLoop();
            assertThat(groups.values().stream().mapToInt(Collection::size).sum()).isEqualTo(8);
            assertThat(groups).as("Vert.x spreads connections over its event loops").hasSizeGreaterThan(1);
            Map<ChatConnection, Thread> loopOf = new HashMap<>();
            for (Map.Entry<EventLoop, Collection<ChatConnection>> group : groups.entrySet()) {
                Thread loop = group.getKey().submit(Thread::currentThread).get(5, TimeUnit.SECONDS);
                assertThat(loop.getName()).as("a group's key").startsWith("vert.x-eventloop-thread-");
                for (ChatConnection c : group.getValue()) {
                    assertThat(c.writer().eventLoop()).as("the loop of the socket's channel").isSameAs(group.getKey());
                    assertThat(c.openedOn()).as("the thread that ran onOpen").isSameAs(loop);
                    loopOf.put(c, loop);
                }
            }

            long offLoop = SocketWriter.OFF_LOOP.sum();
            sockets.get(0).chat("c-fan", "to every loop");
            List<JsonNode> received = sockets.stream()
                    .map(s -> s.await(f -> "chat.message".equals(f.path("type").asText()), "the message")).toList();
            assertThat(received.get(0).at("/message/text").asText()).isEqualTo("to every loop");
            assertThat(received).allSatisfy(frame -> assertThat(frame).isEqualTo(received.get(0)));
            assertThat(SocketWriter.OFF_LOOP.sum()).as("writes made off a socket's loop").isEqualTo(offLoop);

            // one broadcast, one encoding, whatever the loops and sockets (retried only if another room's frame was
            // encoded in the same microseconds)
            long encodings = -1;
            for (int attempt = 0; attempt < 5 && encodings != 1; attempt++) {
                long before = OutboundFrame.ENCODED.sum();
                room.broadcast("{\"v\":1,\"type\":\"test.once\",\"n\":" + attempt + "}");
                encodings = OutboundFrame.ENCODED.sum() - before;
            }
            assertThat(encodings).as("encodings of one broadcast to 8 sockets on several loops").isEqualTo(1);
            for (RoomSocket socket : sockets) {
                assertThat(socket.await(f -> "test.once".equals(f.path("type").asText()), "the broadcast")).isNotNull();
            }

            for (RoomSocket socket : sockets.subList(4, 8)) {
                socket.close();
            }
            Awaitility.await().atMost(Duration.ofSeconds(15))
                    .until(() -> loopOf.keySet().stream().filter(c -> c.closedOn() != null).count() == 4);
            loopOf.forEach((c, loop) -> {
                if (c.closedOn() != null) {
                    assertThat(c.closedOn()).as("the thread that ran onClose").isSameAs(loop);
                }
            });
            Awaitility.await().atMost(Duration.ofSeconds(15))
                    .until(() -> room.socketsByLoop().values().stream().mapToInt(Collection::size).sum() == 4);
        } finally {
            sockets.forEach(RoomSocket::close);
        }
    }

    @Test
    void aViewerThatStopsReadingIsSkippedAndCountedWhileTheOthersKeepReceiving() {
        String session = Sessions.live(Sessions.user("host"), "PUBLIC");
        String slowUser = Sessions.user("slow");
        String pad = "x".repeat(8 * 1024);
        try (RoomSocket a = RoomSocket.joined(port, session, null);
                RoomSocket b = RoomSocket.joined(port, session, null);
                RawSocket slow = RawSocket.open(port, session, Map.of(), 4 * 1024)) {
            slow.send("{\"type\":\"auth\",\"v\":1,\"token\":\"" + Sessions.token(slowUser) + "\"}");
            slow.await("welcome");
            // from here on the slow viewer reads nothing: its kernel buffers fill, then the server's
            Room room = rooms.room(session);
            ChatConnection slowSocket = room.socketsByLoop().values().stream().flatMap(Collection::stream)
                    .filter(c -> slowUser.equals(c.userId())).findFirst().orElseThrow();
            long limit = slowSocket.writer().pendingLimit() + pad.length() + 1024;

            int sent = 0;
            while (slowSocket.writer().pendingBytes() <= slowSocket.writer().pendingLimit()) {
                assertThat(sent).as("frames sent without the slow socket filling up").isLessThan(6_000);
                sent = bulk(room, sent, pad, a, b);
            }
            assertThat(slowSocket.writer().pendingBytes()).isLessThanOrEqualTo(limit);

            long droppedWhenFull = ChatConnection.DROPPED.sum();
            for (int i = 0; i < 5; i++) {
                sent = bulk(room, sent, pad, a, b);
            }
            assertThat(ChatConnection.DROPPED.sum() - droppedWhenFull).as("later frames skipped for the slow socket")
                    .isGreaterThanOrEqualTo(5 * 6);
            assertThat(slowSocket.writer().pendingBytes()).isLessThanOrEqualTo(limit);
            assertThat(a.matching(BULK)).hasSize(sent);
            assertThat(b.matching(BULK)).hasSize(sent);
        }
    }

    /** Six 8 KiB frames to the room, then waits until both readers have every frame sent so far. */
    private static int bulk(Room room, int sent, String pad, RoomSocket... readers) {
        for (int i = 0; i < 6; i++) {
            room.broadcast("{\"v\":1,\"type\":\"test.bulk\",\"n\":" + sent++ + ",\"pad\":\"" + pad + "\"}");
        }
        for (RoomSocket reader : readers) {
            reader.awaitCount(BULK, sent, "bulk frames");
        }
        return sent;
    }

    @Test
    void compressionIsNotNegotiatedSoEverySocketTakesTheSharedFrame() {
        try (RawSocket socket = RawSocket.open(port, UUID.randomUUID().toString(),
                Map.of("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"), 64 * 1024)) {
            assertThat(socket.status()).isEqualTo(101);
            assertThat(socket.header("Sec-WebSocket-Extensions")).isNull();
        }
    }
}
