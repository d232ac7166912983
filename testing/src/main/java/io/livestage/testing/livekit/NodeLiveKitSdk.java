package io.livestage.testing.livekit;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The official LiveKit Node server SDK ({@code livekit-server-sdk}, pinned in {@code testing/node/package.json}) as an
 * independent peer: tokens and webhooks produced by our code or the Java SDK are checked by another implementation.
 * <p>
 * Runs the small scripts of {@code testing/node/} with the {@code node} found on the PATH. The project root is found by
 * walking up from the working directory to the directory containing {@code testing/node/package.json}; the first use
 * in a JVM installs the locked dependencies with {@code npm ci --no-audit --no-fund} (under a file lock, so parallel
 * JVMs do not clobber each other; skipped when {@code node_modules} already matches {@code package-lock.json}).
 * <p>
 * Node.js is a prerequisite of the build ({@code ./livestage test} checks it first): without it every call fails with
 * {@link #unavailableReason()} and what to install, so a test using the peer fails instead of being skipped.
 */
public final class NodeLiveKitSdk {

    /** The oldest Node major the scripts are run with (the SDK itself needs 19+). */
    public static final int MIN_NODE_MAJOR = 20;
    public static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration NODE_VERSION_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration NPM_CI_TIMEOUT = Duration.ofMinutes(5);
    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");

    private static volatile Probe probe;
    private static volatile boolean installed;

    private NodeLiveKitSdk() {
    }

    /** Thrown when a script exits non-zero (e.g. a signature does not verify), with its stderr as message. */
    public static final class NodeScriptException extends RuntimeException {
        private final String script;
        private final int exitCode;
        private final String stderr;

        NodeScriptException(String script, int exitCode, String stderr) {
            super(script + " exited with " + exitCode + ": " + stderr.strip());
            this.script = script;
            this.exitCode = exitCode;
            this.stderr = stderr;
        }

        public String script() {
            return script;
        }

        public int exitCode() {
            return exitCode;
        }

        public String stderr() {
            return stderr;
        }
    }

    private record Probe(Path node, Path npm, Path directory, String nodeVersion, String problem) {
    }

    /** True when {@code node} (>= 20) and {@code npm} are on the PATH and {@code testing/node} was found. */
    public static boolean available() {
        return probe().problem() == null;
    }

    /** Why {@link #available()} is false, or "available: ..." when it is true. */
    public static String unavailableReason() {
        Probe probe = probe();
        return probe.problem() != null ? probe.problem()
                : "available: node " + probe.nodeVersion() + " in " + probe.directory();
    }

    /** {@code <project root>/testing/node}. */
    public static Path directory() {
        return require().directory();
    }

    /** The installed {@code livekit-server-sdk} version (installs first if needed). */
    public static String sdkVersion() {
        ensureInstalled();
        Path manifest = directory().resolve("node_modules/livekit-server-sdk/package.json");
        try {
            return LiveKitJson.MAPPER.readTree(manifest.toFile()).path("version").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The claims of {@code token} as the Node SDK's {@code TokenVerifier(key, secret).verify(token)} returns them
     * (HS256, issuer = key, exp required, 10 s clock tolerance).
     *
     * @throws NodeScriptException when the token does not verify
     */
    public static JsonNode verifyToken(String token, String apiKey, String apiSecret) {
        return run("verify-token.mjs", Map.of("token", token, "key", apiKey, "secret", apiSecret));
    }

    /**
     * An access token minted by the Node SDK's {@code AccessToken}.
     *
     * @param identity {@code sub}, may be null
     * @param videoGrant e.g. {@code Map.of("roomAdmin", true, "room", "r1")}
     */
    public static String createToken(String apiKey, String apiSecret, String identity, Map<String, ?> videoGrant) {
        ObjectNode input = LiveKitJson.MAPPER.createObjectNode().put("key", apiKey).put("secret", apiSecret);
        if (identity != null) {
            input.put("identity", identity);
        }
        input.set("video", LiveKitJson.MAPPER.valueToTree(videoGrant));
        return run("create-token.mjs", input).path("token").asText();
    }

    /** The Authorization header value the Node SDK's AccessToken yields for a webhook body (iss, exp +5 min, sha256). */
    public static String signWebhook(String apiKey, String apiSecret, String body) {
        return run("sign-webhook.mjs", Map.of("key", apiKey, "secret", apiSecret, "body", body))
                .path("authorization").asText();
    }

    /**
     * The event as the Node SDK's {@code WebhookReceiver(key, secret).receive(body, authorization)} parses it, printed
     * as protojson (camelCase, int64 as strings).
     *
     * @throws NodeScriptException when the signature, expiry or body checksum does not verify
     */
    public static JsonNode verifyWebhook(String apiKey, String apiSecret, String body, String authorization) {
        return run("verify-webhook.mjs",
                Map.of("key", apiKey, "secret", apiSecret, "body", body, "authorization", authorization));
    }

    /** Runs {@code testing/node/<script>} with {@code input} as JSON on stdin and returns its JSON stdout. */
    public static JsonNode run(String script, Object input) {
        return run(script, input, SCRIPT_TIMEOUT);
    }

    /** {@link #run(String, Object)} with another timeout. */
    public static JsonNode run(String script, Object input, Duration timeout) {
        return node(List.of(script), script, input, timeout);
    }

    /**
     * Runs an ES module given as source text ({@code node --input-type=module --eval}) in {@code testing/node}, so it
     * imports {@code livekit-server-sdk} and {@code ./lib.mjs} like the scripts there; {@code input} as JSON on stdin,
     * its JSON stdout returned. For a check that belongs to one test rather than a reusable script.
     */
    public static JsonNode runModule(String source, Object input) {
        return node(List.of("--input-type=module", "--eval", source), "inline module", input, SCRIPT_TIMEOUT);
    }

    private static JsonNode node(List<String> arguments, String label, Object input, Duration timeout) {
        ensureInstalled();
        Probe probe = require();
        byte[] stdin;
        try {
            stdin = LiveKitJson.MAPPER.writeValueAsBytes(input);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("input is not JSON-serialisable", e);
        }
        List<String> command = new ArrayList<>();
        command.add(probe.node().toString());
        command.addAll(arguments);
        Result result = exec(command, probe.directory(), stdin, timeout);
        if (result.exitCode() != 0) {
            throw new NodeScriptException(label, result.exitCode(), result.stderr());
        }
        try {
            return LiveKitJson.MAPPER.readTree(result.stdout());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(label + " printed no JSON: " + result.stdout() + result.stderr(), e);
        }
    }

    /**
     * Installs {@code testing/node}'s locked dependencies once per JVM: {@code npm ci --no-audit --no-fund}, unless
     * {@code node_modules/.package-lock.json} (npm's record of what is installed) already equals the lockfile.
     */
    public static void ensureInstalled() {
        if (installed) {
            return;
        }
        synchronized (NodeLiveKitSdk.class) {
            if (installed) {
                return;
            }
            Probe probe = require();
            // Outside the project (nothing to ignore) but one per checkout, so parallel JVMs serialise their npm ci.
            Path lockFile = Path.of(System.getProperty("java.io.tmpdir"), "livestage-npm-ci-"
                    + Integer.toHexString(probe.directory().toAbsolutePath().toString().hashCode()) + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                if (!upToDate(probe.directory())) {
                    List<String> command = new ArrayList<>(List.of(probe.npm().toString(), "ci", "--no-audit",
                            "--no-fund"));
                    Result result = exec(command, probe.directory(), new byte[0], NPM_CI_TIMEOUT);
                    if (result.exitCode() != 0) {
                        throw new IllegalStateException("npm ci in " + probe.directory() + " failed with exit code "
                                + result.exitCode() + ":\n" + result.stdout() + result.stderr());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot install " + probe.directory(), e);
            }
            installed = true;
        }
    }

    private static boolean upToDate(Path directory) {
        Path hidden = directory.resolve("node_modules/.package-lock.json");
        if (!Files.isRegularFile(hidden)) {
            return false;
        }
        try {
            JsonNode wanted = LiveKitJson.MAPPER.readTree(directory.resolve("package-lock.json").toFile()).path("packages");
            JsonNode present = LiveKitJson.MAPPER.readTree(hidden.toFile()).path("packages");
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

    private static Probe require() {
        Probe probe = probe();
        if (probe.problem() != null) {
            throw new IllegalStateException("The LiveKit Node SDK peer is unavailable: " + probe.problem()
                    + ". Install Node.js " + MIN_NODE_MAJOR + "+ with npm (nodejs.org or the system's package manager):"
                    + " the tests that check tokens and webhooks against the official Node SDK need it.");
        }
        return probe;
    }

    private static Probe probe() {
        Probe current = probe;
        if (current == null) {
            synchronized (NodeLiveKitSdk.class) {
                current = probe;
                if (current == null) {
                    current = detect();
                    probe = current;
                }
            }
        }
        return current;
    }

    private static Probe detect() {
        Optional<Path> directory = projectNodeDirectory();
        if (directory.isEmpty()) {
            return new Probe(null, null, null, null, "no testing/node/package.json in "
                    + Path.of("").toAbsolutePath() + " or any parent directory");
        }
        Optional<Path> node = onPath(WINDOWS ? List.of("node.exe") : List.of("node"));
        Optional<Path> npm = onPath(WINDOWS ? List.of("npm.cmd", "npm.exe") : List.of("npm"));
        if (node.isEmpty() || npm.isEmpty()) {
            return new Probe(null, null, directory.get(), null, "node and npm (Node.js " + MIN_NODE_MAJOR
                    + "+) must be on the PATH to run the LiveKit Node SDK peer; missing: "
                    + (node.isEmpty() ? "node " : "") + (npm.isEmpty() ? "npm" : ""));
        }
        String version;
        try {
            Result result = exec(List.of(node.get().toString(), "--version"), directory.get(), new byte[0],
                    NODE_VERSION_TIMEOUT);
            version = result.stdout().strip();
            int major = Integer.parseInt(version.replaceFirst("^v", "").split("\\.")[0]);
            if (major < MIN_NODE_MAJOR) {
                return new Probe(node.get(), npm.get(), directory.get(), version, "node " + version + " at " + node.get()
                        + " is too old; the LiveKit Node SDK peer needs Node.js " + MIN_NODE_MAJOR + "+");
            }
        } catch (RuntimeException e) {
            return new Probe(node.get(), npm.get(), directory.get(), null, "cannot run " + node.get() + " --version: "
                    + e.getMessage());
        }
        return new Probe(node.get(), npm.get(), directory.get(), version, null);
    }

    private static Optional<Path> projectNodeDirectory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("testing").resolve("node");
            if (Files.isRegularFile(candidate.resolve("package.json"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> onPath(List<String> names) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            for (String name : names) {
                Path candidate = Path.of(entry, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result exec(List<String> command, Path directory, byte[] stdin, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(directory.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
        FutureTask<byte[]> stdout = drain(process.getInputStream(), "stdout of " + command.get(1));
        FutureTask<byte[]> stderr = drain(process.getErrorStream(), "stderr of " + command.get(1));
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // The process may exit without reading its input; its exit code and stderr tell why.
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Result(process.exitValue(), new String(stdout.get(), StandardCharsets.UTF_8),
                    new String(stderr.get(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the output of " + String.join(" ", command), e.getCause());
        }
    }

    /** Reads a stream to its end on its own thread (both pipes at once, so a full one never blocks the process). */
    private static FutureTask<byte[]> drain(InputStream stream, String name) {
        FutureTask<byte[]> task = new FutureTask<>(() -> {
            try (stream) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                stream.transferTo(out);
                return out.toByteArray();
            }
        });
        Thread thread = new Thread(task, "node-sdk " + name);
        thread.setDaemon(true);
        thread.start();
        return task;
    }
}
