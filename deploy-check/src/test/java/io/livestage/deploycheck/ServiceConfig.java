package io.livestage.deploycheck;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A service's configuration as the prod profile sees it, read from the sources: the
 * META-INF/microprofile-config.properties of the livestage platform modules it depends on (from the poms, with their
 * own livestage dependencies), then its application.properties ({@code %prod.} keys win, other profiles are ignored).
 * From it, the environment variables a container must set ({@link #requiredEnvironment()}).
 */
public final class ServiceConfig {

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.\\-]*)(?::([^}]*))?}");
    /** Every name an expression reads, nested defaults included: {@code ${A:${B:}}} reads A and B. */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.\\-]*)");
    private static final Pattern LIVESTAGE_DEPENDENCY = Pattern.compile("<artifactId>livestage-(platform[a-z-]*)</artifactId>");
    private static final Pattern FORBIDDEN = Pattern.compile("livestage\\.production\\.forbidden\\.\"([^\"]+)\"");
    private static final Pattern CONFIG_MAPPING = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"([^\"]+)\"\\)");
    private static final String LOOPBACK = "127.0.0.1";

    private final String module;
    private final Map<String, String> properties;
    private final List<String> configMappingPrefixes;

    private ServiceConfig(String module, Map<String, String> properties, List<String> configMappingPrefixes) {
        this.module = module;
        this.properties = properties;
        this.configMappingPrefixes = configMappingPrefixes;
    }

    public static ServiceConfig of(String module) {
        Map<String, String> merged = new LinkedHashMap<>();
        List<String> prefixes = new ArrayList<>();
        for (String platformModule : platformModules(module, new TreeSet<>())) {
            Path file = DeployFiles.root().resolve(platformModule).resolve("src/main/resources/META-INF/microprofile-config.properties");
            if (Files.isRegularFile(file)) {
                merged.putAll(profile(load(file)));
            }
            prefixes.addAll(configMappingPrefixes(platformModule));
        }
        merged.putAll(profile(load(DeployFiles.require(module + "/src/main/resources/application.properties"))));
        prefixes.addAll(configMappingPrefixes(module));
        return new ServiceConfig(module, merged, prefixes);
    }

    public String module() {
        return module;
    }

    public Map<String, String> properties() {
        return properties;
    }

    /** MicroProfile Config's environment name of a property: {@code livekit.api-key} -> LIVEKIT_API_KEY. */
    public static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /**
     * What a container has to set, with the reason: every {@code ${ENV}} without a default; every value that points at
     * 127.0.0.1 (in a container that is the container itself: the database, Kafka, the other services, LiveKit);
     * every property the prod profile refuses with its development default (livestage.production.forbidden); and the
     * OIDC provider when quarkus-oidc is configured without one.
     */
    public Map<String, String> requiredEnvironment() {
        Map<String, String> required = new LinkedHashMap<>();
        properties.forEach((key, value) -> {
            Matcher m = EXPRESSION.matcher(value);
            StringBuilder outside = new StringBuilder();
            int last = 0;
            while (m.find()) {
                outside.append(value, last, m.start());
                last = m.end();
                String name = m.group(1);
                String fallback = m.group(2);
                if (!isEnvironmentName(name)) {
                    continue;
                }
                if (fallback == null) {
                    required.putIfAbsent(name, key + " = ${" + name + "} has no default");
                } else if (fallback.contains(LOOPBACK)) {
                    required.putIfAbsent(name, key + " defaults to " + LOOPBACK);
                }
            }
            outside.append(value.substring(last));
            if (outside.toString().contains(LOOPBACK)) {
                required.putIfAbsent(environmentName(key), key + " is " + LOOPBACK);
            }
            Matcher forbidden = FORBIDDEN.matcher(key);
            if (forbidden.matches() && properties.containsKey(forbidden.group(1))) {
                String property = forbidden.group(1);
                required.putIfAbsent(environmentVariableOf(property),
                        property + " has a development default the prod profile refuses");
            }
        });
        boolean oidc = properties.keySet().stream().anyMatch(k -> k.startsWith("quarkus.oidc."));
        if (oidc && !properties.containsKey("quarkus.oidc.auth-server-url") && !properties.containsKey("quarkus.oidc.public-key")) {
            required.putIfAbsent("QUARKUS_OIDC_AUTH_SERVER_URL", "quarkus-oidc is configured without a provider");
        }
        return required;
    }

    /** The variable that sets {@code property}: the one its value reads (${NAME:...}), else its MicroProfile name. */
    public String environmentVariableOf(String property) {
        String value = properties.getOrDefault(property, "");
        Matcher m = EXPRESSION.matcher(value.strip());
        if (m.matches() && isEnvironmentName(m.group(1))) {
            return m.group(1);
        }
        return environmentName(property);
    }

    /** The development values of {@code property} the prod profile refuses. */
    public List<String> forbiddenValues(String environmentVariable) {
        List<String> values = new ArrayList<>();
        properties.forEach((key, value) -> {
            Matcher forbidden = FORBIDDEN.matcher(key);
            if (forbidden.matches() && environmentVariableOf(forbidden.group(1)).equals(environmentVariable)) {
                values.addAll(List.of(value.split(",")));
            }
        });
        return values;
    }

    /**
     * Whether a container variable can mean anything to this service: read by an expression, the MicroProfile name of
     * one of its properties, or under one of its @ConfigMapping prefixes (keys with code defaults only).
     */
    public boolean understands(String environmentVariable) {
        for (Map.Entry<String, String> e : properties.entrySet()) {
            if (environmentName(e.getKey()).equals(environmentVariable)) {
                return true;
            }
            Matcher m = REFERENCE.matcher(e.getValue());
            while (m.find()) {
                if (m.group(1).equals(environmentVariable)) {
                    return true;
                }
            }
        }
        return configMappingPrefixes.stream().anyMatch(p -> environmentVariable.startsWith(environmentName(p) + "_"));
    }

    private static boolean isEnvironmentName(String name) {
        return name.equals(name.toUpperCase(Locale.ROOT)) && !name.contains(".") && !name.contains("-");
    }

    /** The livestage platform modules {@code module} depends on, with theirs. */
    private static Set<String> platformModules(String module, Set<String> seen) {
        String pom = DeployFiles.read(module + "/pom.xml");
        Matcher m = LIVESTAGE_DEPENDENCY.matcher(pom);
        while (m.find()) {
            String dependency = m.group(1);
            if (!dependency.equals(module) && seen.add(dependency)) {
                platformModules(dependency, seen);
            }
        }
        return seen;
    }

    private static List<String> configMappingPrefixes(String module) {
        Path sources = DeployFiles.root().resolve(module).resolve("src/main/java");
        if (!Files.isDirectory(sources)) {
            return List.of();
        }
        List<String> prefixes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = CONFIG_MAPPING.matcher(Files.readString(file));
                while (m.find()) {
                    prefixes.add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return prefixes;
    }

    private static Properties load(Path file) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** The prod profile's view: unprofiled keys, then %prod. keys over them; other profiles dropped. */
    private static Map<String, String> profile(Properties p) {
        Map<String, String> result = new LinkedHashMap<>();
        p.stringPropertyNames().stream().sorted().filter(k -> !k.startsWith("%"))
                .forEach(k -> result.put(k, p.getProperty(k)));
        p.stringPropertyNames().stream().sorted().filter(k -> k.startsWith("%prod."))
                .forEach(k -> result.put(k.substring("%prod.".length()), p.getProperty(k)));
        return result;
    }
}
