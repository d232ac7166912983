package io.livestage.bench;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Socket.IO peer: {@code bench/socketio/server.mjs} (socket.io 4 with {@code @socket.io/redis-adapter} on the
 * {@code redis} client, pinned in {@code bench/socketio/package-lock.json}) as {@code instances} Node processes on free
 * ports of 127.0.0.1, sharing rooms through the Redis at {@code redisUrl}.
 */
final class SocketIoPeer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    /** One Node process. */
    record Instance(int number, int port, Process process, Path log) {
        ProcessHandle handle() {
            return process.toHandle();
        }
    }

    final List<Instance> instances;
    final String nodeVersion;
    final String socketIoVersion;
    final String adapterVersion;
    final String redisClientVersion;
    final String redisUrl;
    final String prefix;

    private SocketIoPeer(List<Instance> instances, String nodeVersion, Path directory, String redisUrl, String prefix) {
        this.instances = List.copyOf(instances);
        this.nodeVersion = nodeVersion;
        this.socketIoVersion = version(directory, "socket.io");
        this.adapterVersion = version(directory, "@socket.io/redis-adapter");
        this.redisClientVersion = version(directory, "redis");
        this.redisUrl = redisUrl;
        this.prefix = prefix;
    }

    static SocketIoPeer start(Path root, int count, String redisUrl, Path logs) throws IOException, InterruptedException {
        Path directory = root.resolve("bench/socketio");
        String node = onPath("node").orElseThrow(() -> new IllegalStateException(
                "node (Node.js 20+) must be on the PATH for the Socket.IO peer; or run with --socketio-instances=0"));
        String npm = onPath("npm").orElseThrow(() -> new IllegalStateException("npm must be on the PATH"));
        String nodeVersion = run(List.of(node, "--version"), directory, Duration.ofSeconds(10)).strip();
        if (!upToDate(directory)) {
            io.livestage.bench.core.Log.info("Socket.IO peer: npm ci in " + directory);
            run(List.of(npm, "ci", "--no-audit", "--no-fund"), directory, Duration.ofMinutes(5));
        }
        String prefix = "bench-chat-" + Long.toHexString(System.nanoTime());
        List<Instance> instances = new ArrayList<>();
        Files.createDirectories(logs);
        try {
            for (int i = 1; i <= count; i++) {
                int port = freePort();
                Path log = logs.resolve("socketio-" + i + ".log");
                Process process = new ProcessBuilder(node, "server.mjs", "--port=" + port, "--redis=" + redisUrl,
                        "--prefix=" + prefix, "--instance=" + i)
                        .directory(directory.toFile()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
                Instance instance = new Instance(i, port, process, log);
                instances.add(instance);
                Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "socketio-" + i + "-stop"));
                awaitReady(instance);
            }
        } catch (IOException | RuntimeException | InterruptedException e) {
            instances.forEach(instance -> instance.process().destroy());
            throw e;
        }
        return new SocketIoPeer(instances, nodeVersion, directory, redisUrl, prefix);
    }

    List<Integer> ports() {
        return instances.stream().map(Instance::port).toList();
    }

    /** {@code /health} of one instance: connections, messages, refused. */
    JsonNode health(Instance instance) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + instance.port() + "/health")).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            return JSON.createObjectNode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JSON.createObjectNode();
        }
    }

    private static void awaitReady(Instance instance) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!instance.process().isAlive()) {
                throw new IllegalStateException("Socket.IO instance " + instance.number() + " exited with "
                        + instance.process().exitValue() + ": " + tail(instance.log()));
            }
            String log = Files.exists(instance.log()) ? Files.readString(instance.log()) : "";
            if (log.contains("ready " + instance.port())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Socket.IO instance " + instance.number() + " not ready within "
                + READY_TIMEOUT.toSeconds() + " s: " + tail(instance.log()));
    }

    private static String tail(Path log) throws IOException {
        String text = Files.exists(log) ? Files.readString(log) : "";
        return text.length() > 2_000 ? text.substring(text.length() - 2_000) : text;
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
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(File.pathSeparator)) {
            Path candidate = Path.of(entry, name);
            if (!entry.isBlank() && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    private static String run(List<String> command, Path directory, Duration timeout)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + text);
        }
        return text;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
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
    public void close() {
        for (Instance instance : instances) {
            instance.process().destroy();
        }
        for (Instance instance : instances) {
            try {
                if (!instance.process().waitFor(5, TimeUnit.SECONDS)) {
                    instance.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                instance.process().destroyForcibly();
            }
        }
    }
}
