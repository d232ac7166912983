package io.livestage.deploycheck.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * k8s/ as the tests see it: the overlays rendered by {@code kubectl kustomize} (offline; the same Kustomize the
 * cluster's {@code kubectl} embeds) and parsed into JSON trees, plus the processes the tests run.
 */
final class K8s {

    static final List<String> OVERLAYS = List.of("dev", "prod");
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final Map<String, List<ObjectNode>> RENDERED = new ConcurrentHashMap<>();

    private K8s() {
    }

    /** What a process printed and how it ended. */
    record Result(int exitCode, String output) {
    }

    /** The repository root (system property livestage.root, set by the pom; else the parent of deploy-check/). */
    static Path root() {
        String configured = System.getProperty("livestage.root");
        Path root = (configured != null ? Path.of(configured) : Path.of("..")).toAbsolutePath().normalize();
        if (!Files.isDirectory(root.resolve("k8s")) || !Files.isDirectory(root.resolve("deploy-check"))) {
            throw new AssertionError("Not the livestage repository root (no k8s/ and deploy-check/): " + root);
        }
        return root;
    }

    static Path path(String relative) {
        Path path = root().resolve(relative);
        if (!Files.exists(path)) {
            throw new AssertionError("Missing " + relative + " (" + path + ")");
        }
        return path;
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The objects of an overlay as {@code kubectl kustomize} renders them (cached: the manifests do not change during a run). */
    static List<ObjectNode> render(String overlay) {
        return RENDERED.computeIfAbsent(overlay, o -> parseYaml(kustomize(root().resolve("k8s/overlays").resolve(o))));
    }

    /** A deep copy of an overlay's objects, for tests that break them on purpose. */
    static List<ObjectNode> copy(String overlay) {
        List<ObjectNode> copy = new ArrayList<>();
        for (ObjectNode node : render(overlay)) {
            copy.add(node.deepCopy());
        }
        return copy;
    }

    /**
     * {@code kubectl kustomize --load-restrictor LoadRestrictionsNone DIR}: the realm file is read from keycloak/,
     * outside k8s/. A machine without kubectl fails here with how to install it.
     */
    static String kustomize(Path dir) {
        Result result = run(root(), List.of("kubectl", "kustomize", "--load-restrictor", "LoadRestrictionsNone",
                dir.toString()), null);
        if (result.exitCode() != 0) {
            throw new AssertionError("kubectl kustomize " + root().relativize(dir) + " failed (exit " + result.exitCode()
                    + "):\n" + result.output());
        }
        return result.output();
    }

    static List<ObjectNode> parseYaml(String yaml) {
        List<ObjectNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && doc.isObject()) {
                    objects.add((ObjectNode) doc);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("kubectl kustomize printed invalid YAML: " + e.getMessage(), e);
        }
        return objects;
    }

    static JsonNode yamlFile(String relative) {
        try {
            return YAML.readTree(path(relative).toFile());
        } catch (IOException e) {
            throw new AssertionError("Cannot parse " + relative + ": " + e.getMessage(), e);
        }
    }

    static Optional<ObjectNode> find(List<ObjectNode> objects, String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText()))
                .filter(o -> name.equals(o.path("metadata").path("name").asText())).findFirst();
    }

    static List<ObjectNode> all(List<ObjectNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    static String id(JsonNode object) {
        return object.path("kind").asText() + "/" + object.path("metadata").path("name").asText();
    }

    /** Runs validate-schemas.mjs on objects; its output names every problem. */
    static Result validateSchemas(List<ObjectNode> objects, String label) {
        try {
            Path dir = root().resolve("deploy-check/target/k8s");
            Files.createDirectories(dir);
            Path file = dir.resolve(label + ".json");
            JSON.writeValue(file.toFile(), objects);
            Path nodeModules = root().resolve("deploy-check/node_modules/kubernetes-models");
            if (!Files.isDirectory(nodeModules)) {
                throw new AssertionError(nodeModules + " is missing: run the deploy-check build (it runs `npm ci` in deploy-check/)");
            }
            return run(root().resolve("deploy-check"), List.of("node", "k8s/validate-schemas.mjs", file.toString(),
                    root().resolve("k8s/schemas").toString()), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command (60 s at most), stdin from {@code input} when not null; stdout and stderr together. */
    static Result run(Path workingDir, List<String> command, String input) {
        try {
            Path out = Files.createTempFile("k8s-check-", ".out");
            Path in = Files.createTempFile("k8s-check-", ".in");
            try {
                Files.writeString(in, input == null ? "" : input);
                Process process;
                try {
                    process = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true)
                            .redirectOutput(out.toFile()).redirectInput(in.toFile()).start();
                } catch (IOException e) {
                    throw new AssertionError(missingTool(command.getFirst()) + " (" + e.getMessage() + ")", e);
                }
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String missingTool(String tool) {
        return switch (tool) {
            case "kubectl" -> "kubectl is not on the PATH: the k8s/ tests render the overlays with `kubectl kustomize`"
                    + " (offline, no cluster needed). Install kubectl 1.27 or newer: https://kubernetes.io/docs/tasks/tools/"
                    + " (Debian/Ubuntu: the Kubernetes apt repository's `kubectl` package, or Google Cloud CLI's)";
            case "node" -> "node is not on the PATH: the k8s/ schema validation runs kubernetes-models with Node.js 20.19+"
                    + " (https://nodejs.org, or apt-get install nodejs npm)";
            default -> tool + " is not on the PATH";
        };
    }
}
