package io.livestage.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import io.livestage.infra.postgres.EmbeddedPostgresServer;

/**
 * A real PostgreSQL 17 server from the zonky binaries on Maven Central, started by livestage-infra's
 * {@link EmbeddedPostgresServer} (the tests' embedded server too). The data directory is persistent
 * ({@code .devstack/postgres}); initdb runs only the first time. The zonky binaries allow running as root.
 */
public final class EmbeddedPostgresNode implements PostgresNode {

    private final EmbeddedPostgres postgres;
    private final int port;
    private final String version;

    private EmbeddedPostgresNode(EmbeddedPostgres postgres, int port) {
        this.postgres = postgres;
        this.port = port;
        this.version = serverVersion();
    }

    /**
     * @param dataDir     persistent PGDATA
     * @param binariesDir where the binaries are unpacked (once)
     * @param logFile     initdb and server output
     */
    public static EmbeddedPostgresNode start(Path dataDir, Path binariesDir, int port, Path logFile) {
        Ports.requireFree("PostgreSQL", port, "LIVESTAGE_POSTGRES_PORT");
        try {
            // the launcher stops PostgreSQL itself, after the services and Kafka
            EmbeddedPostgres pg = EmbeddedPostgresServer.persistent(
                    new EmbeddedPostgresServer.Persistent(dataDir, binariesDir, port, Logs.fresh(logFile)),
                    Map.of("listen_addresses", "localhost"));
            return new EmbeddedPostgresNode(pg, port);
        } catch (IOException e) {
            throw new DevStackException("PostgreSQL did not start: " + e.getMessage(),
                    "See " + logFile + ". If the data directory is damaged, reset it: rm -rf " + dataDir, e);
        } catch (RuntimeException e) {
            throw new DevStackException("PostgreSQL did not start: " + e.getMessage(),
                    "See " + logFile + ". If the data directory is damaged, reset it: rm -rf " + dataDir, e);
        }
    }

    /**
     * The postmaster of {@code dataDir} if one is still running: a launcher that died hard (kill -9, a crash) leaves
     * it behind, owning the data directory.
     */
    static Optional<ProcessHandle> leftoverServer(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(ph -> ph.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String hostAndPort() {
        return DevStackConfig.HOST + ":" + port;
    }

    @Override
    public String username() {
        return DevStackConfig.EMBEDDED_USER;
    }

    @Override
    public String password() {
        return DevStackConfig.EMBEDDED_PASSWORD;
    }

    @Override
    public String description() {
        return "PostgreSQL " + version + " (embedded)";
    }

    /** pg_ctl stop -m fast (waits for the server to finish). */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
