package io.livestage.deploycheck.k8s;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.livestage.devstack.Catalog;
import io.livestage.devstack.Catalog.ServiceSpec;

/**
 * What the manifests must agree with, read from the code and its configuration: devstack's Catalog (services,
 * databases), ADR 0001 (ports), each service's application.properties (environment it needs, consumer groups and
 * Kafka Streams application ids with their topics).
 */
final class CodeFacts {

    /** ${NAME} or ${NAME:default} (the default up to the matching brace, one level of nesting). */
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::((?:[^{}]|\\{[^{}]*})*))?}");

    /**
     * Variables whose development default is fine in a cluster, with the reason: not required from the manifests.
     */
    static final Map<String, String> DEFAULT_IS_FINE = Map.of(
            "OTEL_EXPORTER_OTLP_ENDPOINT", "tracing is off unless OTEL_SDK_DISABLED=false (docs/ARCHITECTURE.md, Tracing)",
            "LIVESTAGE_RECORDING_STORAGE_LOCAL_DIRECTORY", "empty = recording-service reads egress' path; both mount /out");

    private CodeFacts() {
    }

    /** The services of the platform: devstack's Catalog. */
    static List<ServiceSpec> services() {
        return Catalog.SERVICES;
    }

    /** ADR 0001's "Fixed ports" table: component -> port. */
    static Map<String, Integer> adrPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^\\|\\s*([A-Za-z][A-Za-z -]*?)(?:\\s*\\(later\\))?\\s*\\|\\s*(\\d+)\\b")
                .matcher(K8s.read("docs/adr/0001-foundation-decisions.md"));
        while (m.find()) {
            ports.put(m.group(1).trim(), Integer.parseInt(m.group(2)));
        }
        return ports;
    }

    /** A service's application.properties (default profile: %profile keys left out). */
    static Map<String, String> properties(String module) {
        return load(K8s.read(module + "/src/main/resources/application.properties"));
    }

    static Map<String, String> load(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> map = new TreeMap<>();
        p.forEach((k, v) -> {
            if (!k.toString().startsWith("%")) {
                map.put(k.toString(), v.toString());
            }
        });
        return map;
    }

    /** Does the module depend on platform-livekit (LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET)? */
    static boolean usesLiveKit(String module) {
        return K8s.read(module + "/pom.xml").contains("<artifactId>livestage-platform-livekit</artifactId>");
    }

    /**
     * The environment variables a service needs from its manifests to run in a cluster, each with why:
     * a reference without a default or with an empty one; a default that points at the developer's machine
     * (127.0.0.1/localhost); a value the prod profile refuses (livestage.production.forbidden); the datasource and
     * OIDC provider (ADR 0001 names), whose defaults are the local stack's.
     */
    static Map<String, String> requiredEnv(String module) {
        Map<String, String> props = new TreeMap<>(properties(module));
        if (usesLiveKit(module)) {
            props.putAll(load(K8s.read("platform-livekit/src/main/resources/META-INF/microprofile-config.properties")));
        }
        Map<String, String> required = new TreeMap<>();
        props.forEach((key, value) -> {
            Matcher m = ENV_REF.matcher(value);
            while (m.find()) {
                String name = m.group(1);
                String def = m.group(2);
                if (DEFAULT_IS_FINE.containsKey(name)) {
                    continue;
                }
                if (def == null || def.isEmpty()) {
                    required.putIfAbsent(name, key + " has no default");
                } else if (def.contains("127.0.0.1") || def.contains("localhost")) {
                    required.putIfAbsent(name, key + " defaults to the developer's machine (" + def + ")");
                }
            }
        });
        props.forEach((key, value) -> {
            if (key.startsWith("livestage.production.forbidden.")) {
                String guarded = key.substring("livestage.production.forbidden.".length()).replace("\"", "");
                String configured = props.get(guarded);
                Matcher m = configured == null ? null : ENV_REF.matcher(configured);
                if (m != null && m.find()) {
                    required.putIfAbsent(m.group(1), guarded + ": the prod profile refuses its default");
                }
            }
        });
        if (props.containsKey("quarkus.datasource.db-kind")) {
            required.putIfAbsent("QUARKUS_DATASOURCE_JDBC_URL", "the datasource (ADR 0001)");
            if (props.containsKey("quarkus.datasource.reactive.url")) {
                required.putIfAbsent("QUARKUS_DATASOURCE_REACTIVE_URL", "the reactive datasource (ADR 0001)");
            }
            required.putIfAbsent("QUARKUS_DATASOURCE_USERNAME", "the datasource (ADR 0001)");
            required.putIfAbsent("QUARKUS_DATASOURCE_PASSWORD", "the prod profile refuses the dev password (platform-config)");
        }
        if (props.keySet().stream().anyMatch(k -> k.startsWith("quarkus.oidc."))) {
            required.putIfAbsent("QUARKUS_OIDC_AUTH_SERVER_URL", "the OIDC provider (ADR 0001)");
        }
        return required;
    }

    /**
     * A service's stable consumer groups and the topics each reads: SmallRye channels' group.id (per-instance groups,
     * with ${...} in their name, are left out: they are not shared, nothing to scale on) and the Kafka Streams
     * application id (= its consumer group) with quarkus.kafka-streams.topics.
     */
    static Map<String, Set<String>> consumerGroups(String module) {
        Map<String, String> props = properties(module);
        Map<String, Set<String>> groups = new TreeMap<>();
        Pattern channel = Pattern.compile("mp\\.messaging\\.incoming\\.([^.]+)\\.group\\.id");
        props.forEach((key, value) -> {
            Matcher m = channel.matcher(key);
            if (m.matches() && !value.contains("${")) {
                String topic = props.get("mp.messaging.incoming." + m.group(1) + ".topic");
                groups.computeIfAbsent(value, g -> new TreeSet<>()).add(topic);
            }
        });
        String appId = props.get("quarkus.kafka-streams.application-id");
        if (appId != null) {
            Matcher m = ENV_REF.matcher(appId);
            String id = m.matches() ? m.group(2) : appId;
            Set<String> topics = new LinkedHashSet<>(List.of(props.get("quarkus.kafka-streams.topics").split(",")));
            groups.computeIfAbsent(id, g -> new TreeSet<>()).addAll(topics);
        }
        return groups;
    }

    /** The HTTP port a service listens on (quarkus.http.port). */
    static int httpPort(String module) {
        return Integer.parseInt(properties(module).get("quarkus.http.port"));
    }
}
