package io.livestage.deploycheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** docker-compose.yml at the repository root, parsed (no interpolation: values are read as written). */
public final class ComposeFile {

    public static final String PATH = "docker-compose.yml";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final String text;
    private final JsonNode root;

    private ComposeFile(String text, JsonNode root) {
        this.text = text;
        this.root = root;
    }

    public static ComposeFile load() {
        return parse(DeployFiles.read(PATH));
    }

    public static ComposeFile parse(String text) {
        try {
            return new ComposeFile(text, YAML.readTree(text));
        } catch (IOException e) {
            throw new UncheckedIOException("docker-compose.yml is not YAML", e);
        }
    }

    public String text() {
        return text;
    }

    public JsonNode root() {
        return root;
    }

    public List<String> serviceNames() {
        List<String> names = new ArrayList<>();
        root.path("services").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The service's definition; fails the test when it is missing. */
    public JsonNode service(String name) {
        JsonNode service = root.path("services").path(name);
        if (service.isMissingNode()) {
            throw new AssertionError("docker-compose.yml has no service " + name + " (services: " + serviceNames() + ")");
        }
        return service;
    }

    /** A service's environment as written (map or list form), values as strings. */
    public Map<String, String> environment(String name) {
        JsonNode env = service(name).path("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (env.isObject()) {
            env.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        } else if (env.isArray()) {
            for (JsonNode item : env) {
                String entry = item.asText();
                int eq = entry.indexOf('=');
                result.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
            }
        }
        return result;
    }

    /** depends_on as service -> condition (short form: service_started). */
    public Map<String, String> dependsOn(String name) {
        JsonNode deps = service(name).path("depends_on");
        Map<String, String> result = new LinkedHashMap<>();
        if (deps.isArray()) {
            deps.forEach(d -> result.put(d.asText(), "service_started"));
        } else if (deps.isObject()) {
            deps.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().path("condition").asText("service_started")));
        }
        return result;
    }

    /** The service's short-syntax volume entries ("source:target[:mode]"). */
    public List<String> volumes(String name) {
        List<String> result = new ArrayList<>();
        service(name).path("volumes").forEach(v -> result.add(v.isTextual() ? v.asText()
                : v.path("source").asText() + ":" + v.path("target").asText()));
        return result;
    }

    /** The service's published ports as written. */
    public List<String> ports(String name) {
        List<String> result = new ArrayList<>();
        service(name).path("ports").forEach(p -> result.add(p.asText()));
        return result;
    }

    /** The healthcheck test as one string (CMD / CMD-SHELL arrays joined with spaces), or "" without one. */
    public String healthcheck(String name) {
        JsonNode test = service(name).path("healthcheck").path("test");
        if (test.isTextual()) {
            return test.asText();
        }
        List<String> parts = new ArrayList<>();
        test.forEach(p -> parts.add(p.asText()));
        return String.join(" ", parts);
    }
}
