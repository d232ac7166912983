package io.livestage.gateway.openapi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The platform's OpenAPI document, merged by the gateway from the documents the services write at build time
 * ({@code <service>/target/openapi/openapi.json}), is fit to generate a typed client from: every operation has an
 * operationId and a description, operationIds are unique, no {@code pattern} is Java-only, and Spectral's
 * {@code spectral:oas} ruleset finds no error. The merged document is left at
 * {@code target/openapi/livestage-openapi.json}.
 */
class MergedOpenApiTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");
    private static final Pattern SERVICE = Pattern.compile("^livestage\\.gateway\\.services\\.([a-z0-9-]+)\\s*=");
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path SPECTRAL_SOURCE = MODULE.resolve("src/test/spectral");
    private static final Path SPECTRAL = MODULE.resolve("target/spectral");
    private static final Path DOCUMENT = MODULE.resolve("target/openapi/livestage-openapi.json");

    private static List<String> services;
    private static List<JsonObject> documents;
    private static JsonObject merged;

    @BeforeAll
    static void merge() throws IOException {
        services = services();
        assertThat(services).as("services in application.properties").isNotEmpty();
        documents = new ArrayList<>();
        for (String service : services) {
            Path file = MODULE.resolveSibling(service).resolve("target/openapi/openapi.json");
            if (!Files.isRegularFile(file)) {
                fail(file + " is missing: the services write their OpenAPI document when they are built. Build them "
                        + "first: ./mvnw -pl " + String.join(",", services) + " package -DskipTests (a reactor build "
                        + "with the gateway, e.g. ./livestage test, builds them before it)");
            }
            documents.add(new JsonObject(Files.readString(file)));
        }
        merged = OpenApiAggregator.merge(services, documents);
        Files.createDirectories(DOCUMENT.getParent());
        Files.writeString(DOCUMENT, merged.encodePrettily());
    }

    /** The services the gateway merges, as its configuration lists them. */
    private static List<String> services() throws IOException {
        Path properties = MODULE.resolve("src/main/resources/application.properties");
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(properties)) {
            Matcher m = SERVICE.matcher(line.strip());
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    @Test
    void everyServiceAndEveryPathIsInTheDocumentOnce() {
        assertThat(merged.containsKey("x-livestage-missing")).isFalse();
        Map<String, List<String>> owners = new LinkedHashMap<>();
        for (int i = 0; i < services.size(); i++) {
            for (String path : documents.get(i).getJsonObject("paths", new JsonObject()).fieldNames()) {
                owners.computeIfAbsent(path, p -> new ArrayList<>()).add(services.get(i));
            }
            assertThat(documents.get(i).getJsonObject("paths", new JsonObject()).fieldNames())
                    .as("paths of %s", services.get(i)).isNotEmpty();
        }
        for (String path : List.of("/openapi", "/asyncapi.yaml", "/schemas/{file}")) {
            owners.computeIfAbsent(path, p -> new ArrayList<>()).add("gateway");
        }
        assertThat(owners.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Object::toString).toList())
                .as("paths documented twice (one would hide the other)").isEmpty();
        assertThat(merged.getJsonObject("paths").fieldNames()).containsExactlyInAnyOrderElementsOf(owners.keySet());
    }

    @Test
    void everyOperationHasAnOperationIdAndADescription() {
        List<String> lacking = new ArrayList<>();
        operations().forEach((where, operation) -> {
            if (operation.getString("operationId", "").isBlank()) {
                lacking.add(where + ": no operationId");
            }
            if (operation.getString("description", "").isBlank()) {
                lacking.add(where + ": no description");
            }
        });
        assertThat(lacking).as("operations of %s", DOCUMENT).isEmpty();
    }

    @Test
    void everySuccessfulAnswerDeclaresItsContent() {
        // what a generated client types its results from; 204 has no body, 206 is a part of the 200's, HEAD none
        List<String> untyped = new ArrayList<>();
        operations().forEach((where, operation) -> {
            JsonObject responses = operation.getJsonObject("responses", new JsonObject());
            for (String status : List.of("200", "201", "202")) {
                JsonObject response = responses.getJsonObject(status);
                if (!where.startsWith("HEAD ") && response != null
                        && response.getJsonObject("content", new JsonObject()).isEmpty()) {
                    untyped.add(where + " " + status);
                }
            }
        });
        assertThat(untyped).as("successful responses without content").isEmpty();
    }

    @Test
    void operationIdsAreUnique() {
        Map<String, List<String>> byId = new LinkedHashMap<>();
        operations().forEach((where, operation) -> byId
                .computeIfAbsent(operation.getString("operationId", ""), id -> new ArrayList<>()).add(where));
        assertThat(byId.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Object::toString).toList())
                .as("operationIds used more than once").isEmpty();
    }

    @Test
    void noPatternHasAnInlineFlagGroup() {
        List<String> patterns = patterns(merged, "#", new ArrayList<>());
        assertThat(patterns).as("patterns").isNotEmpty();
        assertThat(patterns.stream().filter(p -> p.contains("(?")).toList())
                .as("patterns with an inline flag group (Java-only, invalid in ECMA-262)").isEmpty();
    }

    @Test
    void everyPatternIsAValidEcmaScriptRegularExpression() throws Exception {
        npm();
        JsonArray patterns = new JsonArray();
        patterns(merged, "#", new ArrayList<>()).forEach(patterns::add);
        Path file = Files.createDirectories(SPECTRAL).resolve("patterns.json");
        Files.writeString(file, patterns.encode());
        // with the u flag, as JSON Schema validators compile them: Java-only syntax such as \p{Cntrl} is an error
        Result result = run(SPECTRAL, 60, "node", "-e", """
                const entries = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));
                const bad = [];
                for (const entry of entries) {
                  const pattern = entry.substring(entry.indexOf(' ') + 1);
                  try { new RegExp(pattern, 'u'); } catch (e) { bad.push(entry + ': ' + e.message); }
                }
                console.log(JSON.stringify(bad));
                """, file.toString());
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(new JsonArray(result.output().strip()).getList()).as("patterns ECMA-262 refuses").isEmpty();
    }

    @Test
    void spectralFindsNoError() throws Exception {
        npm();
        installSpectral();
        Path findings = SPECTRAL.resolve("spectral-findings.json");
        Files.deleteIfExists(findings);
        Result lint = run(SPECTRAL, 180, npx(), "spectral", "lint", "--ruleset", ".spectral.yaml", "--fail-severity",
                "error", DOCUMENT.toString(), "-f", "json", "-o", findings.toString());
        if (!Files.isRegularFile(findings)) {
            fail("spectral wrote no findings (exit " + lint.exit() + "):\n" + lint.output());
        }
        JsonArray all = new JsonArray(Files.readString(findings));
        List<String> errors = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (Object item : all) {
            JsonObject finding = (JsonObject) item;
            String line = String.format("%s %s at %s: %s", severity(finding.getInteger("severity")),
                    finding.getString("code"), String.join(".", finding.getJsonArray("path").stream()
                            .map(String::valueOf).toList()), finding.getString("message"));
            (finding.getInteger("severity") == 0 ? errors : others).add(line);
        }
        System.out.println("spectral:oas on " + DOCUMENT + ": " + errors.size() + " errors, " + others.size()
                + " warnings/infos/hints" + (others.isEmpty() ? "" : "\n  " + String.join("\n  ", others)));
        assertThat(errors).as("spectral:oas errors in %s", DOCUMENT).isEmpty();
        assertThat(lint.exit()).as("spectral's exit code; output:\n%s", lint.output()).isZero();
    }

    /** Every operation by "METHOD path". */
    private static Map<String, JsonObject> operations() {
        Map<String, JsonObject> operations = new LinkedHashMap<>();
        JsonObject paths = merged.getJsonObject("paths");
        for (String path : paths.fieldNames()) {
            JsonObject item = paths.getJsonObject(path);
            for (String method : item.fieldNames()) {
                if (METHODS.contains(method)) {
                    operations.put(method.toUpperCase() + " " + path, item.getJsonObject(method));
                }
            }
        }
        assertThat(operations).isNotEmpty();
        return operations;
    }

    /** Every {@code pattern} string in the document, as "where pattern". */
    private static List<String> patterns(Object node, String where, List<String> found) {
        if (node instanceof JsonObject object) {
            for (String key : object.fieldNames()) {
                Object value = object.getValue(key);
                if ("pattern".equals(key) && value instanceof String pattern) {
                    found.add(where + "/pattern " + pattern);
                } else {
                    patterns(value, where + "/" + key, found);
                }
            }
        } else if (node instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                patterns(array.getValue(i), where + "/" + i, found);
            }
        }
        return found;
    }

    private static String severity(int level) {
        return switch (level) {
            case 0 -> "error";
            case 1 -> "warning";
            case 2 -> "info";
            default -> "hint";
        };
    }

    /** Fails, saying what is needed, unless Node.js 20 or newer with npm is installed. */
    private static void npm() throws InterruptedException {
        String needed = "Node.js 20 or newer with npm is required for the tests (see README): the merged OpenAPI "
                + "document is checked with Spectral and the patterns with Node's RegExp";
        try {
            Result node = run(MODULE, 30, "node", "--version");
            Result npm = run(MODULE, 60, npmCommand(), "--version");
            Matcher major = Pattern.compile("v(\\d+)\\.").matcher(node.output());
            if (node.exit() != 0 || npm.exit() != 0 || !major.find() || Integer.parseInt(major.group(1)) < 20) {
                fail(needed + "; found node " + node.output().strip() + ", npm " + npm.output().strip());
            }
        } catch (IOException e) {
            fail(needed + "; " + e.getMessage());
        }
    }

    /** npm ci into target/spectral, once: again only when the lock file changed or the install is gone. */
    private static void installSpectral() throws IOException, InterruptedException {
        Files.createDirectories(SPECTRAL);
        boolean current = Files.isRegularFile(SPECTRAL.resolve("node_modules/@stoplight/spectral-cli/package.json"))
                && Files.isRegularFile(SPECTRAL.resolve("package-lock.json"))
                && Arrays.equals(Files.readAllBytes(SPECTRAL.resolve("package-lock.json")),
                        Files.readAllBytes(SPECTRAL_SOURCE.resolve("package-lock.json")));
        for (String file : List.of("package.json", "package-lock.json", ".spectral.yaml")) {
            Files.copy(SPECTRAL_SOURCE.resolve(file), SPECTRAL.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!current) {
            // --ignore-scripts: the only install script in the tree is a usage report (@scarf/scarf)
            Result install = run(SPECTRAL, 600, npmCommand(), "ci", "--no-audit", "--no-fund", "--ignore-scripts");
            assertThat(install.exit()).as("npm ci in %s:\n%s", SPECTRAL, install.output()).isZero();
        }
    }

    private static boolean windows() {
        return System.getProperty("os.name", "").toLowerCase().startsWith("windows");
    }

    private static String npmCommand() {
        return windows() ? "npm.cmd" : "npm";
    }

    private static String npx() {
        return windows() ? "npx.cmd" : "npx";
    }

    private record Result(int exit, String output) {
    }

    private static Result run(Path directory, int timeoutSeconds, String... command)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("merged-openapi", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
