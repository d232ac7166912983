package io.livestage.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.livestage.bench.core.Log;
import io.livestage.bench.core.Peer;

/**
 * The Socket.IO peer: {@code bench/socketio/server.mjs} (socket.io 4 with {@code @socket.io/redis-adapter}, pinned in
 * {@code bench/socketio/package-lock.json}, installed with {@code npm ci} on first use) as Node processes sharing
 * rooms through Redis.
 */
final class SocketIoPeer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final List<Peer> instances;
    final String nodeVersion;
    final String socketIoVersion;
    final String adapterVersion;
    final String redisClientVersion;

    private SocketIoPeer(List<Peer> instances, String nodeVersion, Path directory) {
        this.instances = List.copyOf(instances);
        this.nodeVersion = nodeVersion;
        this.socketIoVersion = version(directory, "socket.io");
        this.adapterVersion = version(directory, "@socket.io/redis-adapter");
        this.redisClientVersion = version(directory, "redis");
    }

    static SocketIoPeer start(Path root, int count, String redisUrl, Path logs)
            throws IOException, InterruptedException {
        Path directory = root.resolve("bench/socketio");
        String node = onPath("node").orElseThrow(() -> new IllegalStateException(
                "node (Node.js 20+) must be on the PATH for the Socket.IO peer"));
        String npm = onPath("npm").orElseThrow(() -> new IllegalStateException("npm must be on the PATH"));
        String nodeVersion = Peer.exec(List.of(node, "--version"), directory, Duration.ofSeconds(10));
        if (!upToDate(directory)) {
            Log.info("Socket.IO peer: npm ci in " + directory);
            Peer.exec(List.of(npm, "ci", "--no-audit", "--no-fund"), directory, Duration.ofMinutes(5));
        }
        String prefix = "bench-chat-" + Long.toHexString(System.nanoTime());
        List<Peer> instances = new ArrayList<>();
        try {
            for (int i = 1; i <= count; i++) {
                int port = Peer.freePort();
                instances.add(Peer.start("socketio-" + i, List.of(node, "server.mjs", "--port=" + port,
                        "--redis=" + redisUrl, "--prefix=" + prefix, "--instance=" + i), directory, port,
                        logs.resolve("socketio-" + i + ".log")));
            }
        } catch (IOException | RuntimeException | InterruptedException e) {
            instances.forEach(instance -> instance.process.destroy());
            throw e;
        }
        return new SocketIoPeer(instances, nodeVersion, directory);
    }

    List<Integer> ports() {
        return instances.stream().map(p -> p.port).toList();
    }

    private static boolean upToDate(Path directory) {
        Path hidden = directory.resolve("node_modules/.package-lock.json");
        if (!Files.isRegularFile(hidden)) {
            return false;
        }
        try {
            JsonNode wanted = JSON.readTree(directory.resolve("package-lock.json").toFile()).path("packages");
            JsonNode present = JSON.readTree(hidden.toFile()).path("packages");
            if (!(wanted instanceof ObjectNode wantedPackages)) {
                return false;
            }
            ObjectNode withoutRoot = wantedPackages.deepCopy();
            withoutRoot.remove("");
            return withoutRoot.equals(present);
        } catch (IOException e) {
            return false;
        }
    }

    private static String version(Path directory, String module) {
        try {
            return JSON.readTree(directory.resolve("node_modules").resolve(module).resolve("package.json").toFile())
                    .path("version").asText("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static Optional<String> onPath(String name) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(entry, name);
            if (!entry.isBlank() && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    /** The redis-server process on this machine (its /proc/PID/comm), for the CPU split; null when not found. */
    static ProcessHandle redisServer() {
        try (var dirs = Files.list(Path.of("/proc"))) {
            return dirs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(d -> {
                        try {
                            return Files.readString(d.resolve("comm")).strip().equals("redis-server");
                        } catch (IOException | RuntimeException e) {
                            return false;
                        }
                    })
                    .map(d -> ProcessHandle.of(Long.parseLong(d.getFileName().toString())).orElse(null))
                    .filter(Objects::nonNull).findFirst().orElse(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Peer instance : instances) {
            instance.close();
        }
    }
}
