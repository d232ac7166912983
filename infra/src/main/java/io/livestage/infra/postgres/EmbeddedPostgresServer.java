package io.livestage.infra.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server from the zonky binaries on Maven Central (works as root too): throw-away for the tests,
 * persistent for the local stack. Superuser {@value #USER}, trust authentication.
 */
public final class EmbeddedPostgresServer {

    public static final String USER = "postgres";

    /** Where a persistent server lives: PGDATA (initdb on the first start only), the unpacked binaries, the log. */
    public record Persistent(Path dataDir, Path binariesDir, int port, Path logFile) {
    }

    private EmbeddedPostgresServer() {
    }

    /**
     * A server on a free port with a temporary data directory; zonky's shutdown hook stops it and deletes the data
     * at JVM exit. {@code serverConfig} goes into postgresql.conf.
     */
    public static EmbeddedPostgres throwAway(Map<String, String> serverConfig) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        serverConfig.forEach(builder::setServerConfig);
        return builder.start();
    }

    /** A server on {@code where.port()} whose data survives; the caller stops it ({@link EmbeddedPostgres#close}). */
    public static EmbeddedPostgres persistent(Persistent where, Map<String, String> serverConfig) throws IOException {
        Files.createDirectories(where.dataDir());
        Files.createDirectories(where.binariesDir());
        Files.createDirectories(where.logFile().toAbsolutePath().getParent());
        ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(where.logFile().toFile());
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(where.port())
                .setDataDirectory(where.dataDir())
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setOverrideWorkingDirectory(where.binariesDir().toFile())
                .setLocaleConfig("locale", "C")
                .setPGStartupWait(Duration.ofSeconds(60))
                .setOutputRedirector(log)
                .setErrorRedirector(log);
        serverConfig.forEach(builder::setServerConfig);
        return builder.start();
    }

    /** {@code jdbc:postgresql://localhost:<port>/postgres?user=postgres}: the admin URL of a server of this class. */
    public static String adminJdbcUrl(EmbeddedPostgres server) {
        return PostgresUrl.JDBC_PREFIX + "localhost:" + server.getPort() + "/postgres?user=" + USER;
    }
}
