package io.livestage.infra.service;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.livestage.infra.process.ChildProcess;
import io.livestage.infra.process.JvmFlags;

/**
 * A packaged livestage service ({@code <module>/target/quarkus-app/quarkus-run.jar}) as a child JVM, wired by the
 * standard Quarkus environment variables (ADR 0001) and ready when {@code /q/health/ready} answers 200: how the tests'
 * {@code ServiceProcess} and the local stack start services.
 */
public final class QuarkusService {

    /** A service's database: what it gets as {@code QUARKUS_DATASOURCE_*}. */
    public record Datasource(String jdbcUrl, String reactiveUrl, String username, String password) {
    }

    private QuarkusService() {
    }

    /** {@code <moduleDir>/target/quarkus-app/quarkus-run.jar} */
    public static Path fastJar(Path moduleDir) {
        return moduleDir.resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** {@code java <quiet flags of the JDK> <jvmOptions> -jar <jar>} */
    public static List<String> command(String javaCommand, List<String> jvmOptions, Path jar) {
        List<String> command = new ArrayList<>();
        command.add(javaCommand);
        command.addAll(JvmFlags.quietOnModernJdk());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    /** HTTP port, Kafka and, unless {@code datasource} is null (the gateway has none), the database. */
    public static Map<String, String> environment(int port, String kafkaBootstrapServers, Datasource datasource) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers);
        if (datasource != null) {
            env.put("QUARKUS_DATASOURCE_JDBC_URL", datasource.jdbcUrl());
            env.put("QUARKUS_DATASOURCE_REACTIVE_URL", datasource.reactiveUrl());
            env.put("QUARKUS_DATASOURCE_USERNAME", datasource.username());
            env.put("QUARKUS_DATASOURCE_PASSWORD", datasource.password());
        }
        return env;
    }

    /**
     * Tokens of an OIDC provider: quarkus-oidc discovers issuer and keys from {@code authServerUrl}; {@code audience}
     * null means no audience check.
     */
    public static Map<String, String> oidcProvider(String authServerUrl, String audience) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", authServerUrl);
        if (audience != null) {
            env.put("QUARKUS_OIDC_TOKEN_AUDIENCE", audience);
        }
        return env;
    }

    /** Tokens verified locally with a public key (base64 X.509) and issuer, no provider contacted. */
    public static Map<String, String> oidcPublicKey(String publicKeyBase64, String issuer) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_OIDC_PUBLIC_KEY", publicKeyBase64);
        env.put("QUARKUS_OIDC_TOKEN_ISSUER", issuer);
        return env;
    }

    /** {@code http://<host>:<port>/q/health/ready} */
    public static URI readinessUrl(String host, int port) {
        return URI.create("http://" + host + ":" + port + "/q/health/ready");
    }

    /** Starts the service's JVM (does not wait for readiness). */
    public static ChildProcess launch(String name, String javaCommand, List<String> jvmOptions, Path jar, Path workDir,
            Map<String, String> env, Path logFile, ChildProcess.Log mode) throws IOException {
        return ChildProcess.start(name, command(javaCommand, jvmOptions, jar), workDir, env, logFile, mode);
    }
}
