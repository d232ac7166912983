package io.livestage.recording.podcast.feed;

import java.io.ByteArrayOutputStream;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Podcast Index's feed parser, npm {@code podcast-partytime} (pinned in {@code recording-service/src/test/node}), as an
 * independent reader of the feeds we write: {@link #parse} gives what it understood as JSON. Like testing's
 * NodeLiveKitSdk it runs {@code node} from the PATH and, on first use in a JVM, installs the locked dependencies with
 * {@code npm ci --no-audit --no-fund} under a file lock (skipped when {@code node_modules} matches the lockfile).
 * Without Node.js 20+ the call fails (the test fails, it is not skipped).
 */
final class NodePodcastParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    private static volatile boolean installed;

    private NodePodcastParser() {
    }

    /** The feed as podcast-partytime's {@code parseFeed} returns it. */
    static JsonNode parse(byte[] xml) {
        ensureInstalled();
        byte[] input;
        try {
            input = JSON.writeValueAsBytes(Map.of("xml", new String(xml, StandardCharsets.UTF_8)));
            Result result = exec(List.of("node", "parse-feed.mjs"), input, RUN_TIMEOUT);
            if (result.exitCode() != 0) {
                throw new IllegalStateException("parse-feed.mjs exited with " + result.exitCode() + ": "
                        + result.stderr());
            }
            return JSON.readTree(result.stdout());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The installed podcast-partytime version. */
    static String version() {
        ensureInstalled();
        try {
            return JSON.readTree(directory().resolve("node_modules/podcast-partytime/package.json").toFile())
                    .path("version").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code recording-service/src/test/node}, found from the working directory (the module or the project root). */
    static Path directory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : List.of(dir.resolve("src/test/node"), dir.resolve("recording-service/src/test/node"))) {
                if (Files.isRegularFile(candidate.resolve("parse-feed.mjs"))) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("no recording-service/src/test/node above " + Path.of("").toAbsolutePath());
    }

    private static synchronized void ensureInstalled() {
        if (installed) {
            return;
        }
        Path lockFile = Path.of(System.getProperty("java.io.tmpdir"), "livestage-npm-ci-"
                + Integer.toHexString(directory().toAbsolutePath().toString().hashCode()) + ".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            if (!upToDate()) {
                Result result = exec(List.of("npm", "ci", "--no-audit", "--no-fund"), new byte[0], INSTALL_TIMEOUT);
                if (result.exitCode() != 0) {
                    throw new IllegalStateException("npm ci in " + directory() + " failed with " + result.exitCode()
                            + ":\n" + result.stdout() + result.stderr());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install " + directory(), e);
        }
        installed = true;
    }

    /** npm's record of what is installed equals the lockfile's packages. */
    private static boolean upToDate() throws IOException {
        Path present = directory().resolve("node_modules/.package-lock.json");
        if (!Files.isRegularFile(present)) {
            return false;
        }
        JsonNode wanted = JSON.readTree(directory().resolve("package-lock.json").toFile()).path("packages").deepCopy();
        ((ObjectNode) wanted).remove("");
        return wanted.equals(JSON.readTree(present.toFile()).path("packages"));
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result exec(List<String> command, byte[] stdin, Duration timeout) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory().toFile());
        builder.environment().put("PARTYTIME_LOG", "silent");
        Process process = builder.start();
        FutureTask<byte[]> out = drain(process.getInputStream());
        FutureTask<byte[]> err = drain(process.getErrorStream());
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // the process may exit without reading its input; its exit code and stderr tell why
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Result(process.exitValue(), new String(out.get(), StandardCharsets.UTF_8),
                    new String(err.get(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the output of " + command, e.getCause());
        }
    }

    private static FutureTask<byte[]> drain(InputStream stream) {
        FutureTask<byte[]> task = new FutureTask<>(() -> {
            try (stream) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                stream.transferTo(bytes);
                return bytes.toByteArray();
            }
        });
        Thread thread = new Thread(task, "podcast-parser-output");
        thread.setDaemon(true);
        thread.start();
        return task;
    }
}
