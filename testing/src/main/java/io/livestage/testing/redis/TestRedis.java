package io.livestage.testing.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import redis.embedded.RedisServer;

import io.livestage.testing.JvmWide;

/**
 * One real Redis server per test JVM.
 * <p>
 * Resolution order: {@value #URL_ENV} (e.g. {@code redis://127.0.0.1:6379}) → a Redis already answering on
 * 127.0.0.1:6379 → a {@code redis-server} 6.2 binary from Maven Central (embedded-redis) on a free port, stopped when
 * the JVM exits. The URL is published in the system property {@value #URL_PROPERTY} so copies of this class in other
 * classloaders reuse the server. Tests share the server: give each run its own key prefix ({@link #uniquePrefix}).
 */
public final class TestRedis {
    public static final String URL_ENV = "LIVESTAGE_TEST_REDIS_URL";
    public static final String URL_PROPERTY = "livestage.test.redis.url";
    private static final System.Logger LOG = System.getLogger(TestRedis.class.getName());
    private static final JvmWide<TestRedis> SHARED = new JvmWide<>(URL_PROPERTY,
            published -> new TestRedis(published, "published by " + URL_PROPERTY), TestRedis::resolve, redis -> redis.url);

    private final String url;
    private final String origin;

    private TestRedis(String url, String origin) {
        this.url = url;
        this.origin = origin;
    }

    /** The server of this JVM, resolved (and, when none runs here, started) on first use. */
    public static TestRedis shared() {
        return SHARED.get();
    }

    private static TestRedis resolve() {
        String external = System.getenv(URL_ENV);
        if (external != null && !external.isBlank()) {
            URI uri = URI.create(external.trim());
            if (!ping(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 6379)) {
                throw new IllegalStateException(URL_ENV + "=" + external + " does not answer PING; start that Redis or unset "
                        + URL_ENV + " to let the tests start their own");
            }
            return new TestRedis(external.trim(), "external, from " + URL_ENV);
        }
        if (ping("127.0.0.1", 6379)) {
            return new TestRedis("redis://127.0.0.1:6379", "the Redis running on 127.0.0.1:6379");
        }
        return startEmbedded();
    }

    private static TestRedis startEmbedded() {
        try {
            RedisServer server = embeddedServer(freePort());
            server.start();
            int port = server.ports().get(0);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.stop();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }, "test-redis-stop"));
            LOG.log(Level.INFO, "started an embedded redis-server on 127.0.0.1:{0}", String.valueOf(port));
            return new TestRedis("redis://127.0.0.1:" + port, "embedded redis-server 6.2 on port " + port);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded redis-server (no Redis on 127.0.0.1:6379 either); "
                    + "start one or set " + URL_ENV, e);
        }
    }

    /** A redis-server (the 6.2 binary shipped by embedded-redis) on 127.0.0.1:{@code port}, no persistence; not started. */
    static RedisServer embeddedServer(int port) throws IOException {
        return RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                .setting("save \"\"").setting("appendonly no").onShutdownForceStop(true).build();
    }

    /** True when a Redis at host:port answers {@code PING} within a second. */
    public static boolean ping(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[7];
            int read = in.readNBytes(reply, 0, 5);
            return read == 5 && new String(reply, 0, 5, StandardCharsets.US_ASCII).equals("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code redis://host:port} */
    public String url() {
        return url;
    }

    /** A key prefix no other test run uses, e.g. {@code livestage-test-1f3a…:}. */
    public static String uniquePrefix(String name) {
        return "livestage-test:" + name + ":" + Long.toHexString(System.nanoTime()) + ":";
    }

    @Override
    public String toString() {
        return url + " (" + origin + ")";
    }
}
