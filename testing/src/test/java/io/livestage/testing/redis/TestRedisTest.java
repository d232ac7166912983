package io.livestage.testing.redis;

import java.net.ServerSocket;
import java.net.URI;

import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

class TestRedisTest {

    @Test
    void theSharedServerAnswersPing() {
        URI uri = URI.create(TestRedis.shared().url());
        assertThat(TestRedis.ping(uri.getHost(), uri.getPort())).isTrue();
        assertThat(TestRedis.shared()).isSameAs(TestRedis.shared());
    }

    /** The fallback for machines without a Redis: the binary from Maven Central starts, answers, stops. */
    @Test
    void theEmbeddedServerStartsAnswersAndStops() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RedisServer server = TestRedis.embeddedServer(port);
        server.start();
        try {
            assertThat(TestRedis.ping("127.0.0.1", port)).isTrue();
        } finally {
            server.stop();
        }
        assertThat(TestRedis.ping("127.0.0.1", port)).isFalse();
    }

    @Test
    void nothingListeningIsNoRedis() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertThat(TestRedis.ping("127.0.0.1", port)).isFalse();
    }
}
