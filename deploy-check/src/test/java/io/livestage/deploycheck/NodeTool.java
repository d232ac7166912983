package io.livestage.deploycheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the npm validators installed in deploy-check/node_modules by the build's {@code npm ci} (dclint,
 * kubernetes-models) with the machine's Node.js. Never downloads anything: a missing package fails the test.
 */
public final class NodeTool {

    /** What a process printed and how it ended. */
    public record Result(int exitCode, String stdout, String stderr) {

        public String output() {
            return stdout + (stderr.isEmpty() ? "" : "\n" + stderr);
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(45);

    private NodeTool() {
    }

    /** An executable from node_modules/.bin, e.g. {@code bin("dclint")}. */
    public static Path bin(String name) {
        Path bin = DeployFiles.moduleDir().resolve("node_modules/.bin").resolve(name);
        if (!Files.isExecutable(bin)) {
            throw new AssertionError(bin + " is missing: run the deploy-check build (it runs `npm ci` in deploy-check/)");
        }
        return bin;
    }

    /** Runs {@code node_modules/.bin/<name> args...} in deploy-check/ (or {@code workingDir}). */
    public static Result runBin(Path workingDir, String name, String... args) {
        List<String> command = new ArrayList<>();
        command.add(bin(name).toString());
        command.addAll(List.of(args));
        return run(workingDir, command);
    }

    /** Runs {@code node <script> args...} (a script of this module, e.g. src/test/node/validate-k8s.mjs). */
    public static Result runScript(Path script, String... args) {
        List<String> command = new ArrayList<>();
        command.add("node");
        command.add(script.toString());
        command.addAll(List.of(args));
        return run(DeployFiles.moduleDir(), command);
    }

    public static Result run(Path workingDir, List<String> command) {
        try {
            Path out = Files.createTempFile("deploy-check-", ".out");
            Path err = Files.createTempFile("deploy-check-", ".err");
            try {
                Process process = new ProcessBuilder(command)
                        .directory(workingDir.toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("Timed out after " + TIMEOUT + ": " + command);
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + command + " (is Node.js on the PATH?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
