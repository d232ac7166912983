package io.livestage.infra.keycloak;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import io.livestage.infra.process.ChildProcess;

/**
 * The Keycloak server distribution from Maven Central ({@code org.keycloak:keycloak-quarkus-dist:<version>:zip}),
 * unpacked and built ({@code kc.sh build}, Quarkus' augmentation) once per machine into a cache directory keyed by the
 * version and the build options, and the command line that runs it.
 * <p>
 * The server is run as {@code java ... io.quarkus.bootstrap.runner.QuarkusEntryPoint <command>} with the JVM options
 * {@code bin/kc.sh} of 26.7 uses, not through the script: the child is then the JVM itself (SIGTERM reaches it, its pid
 * is the server's) and nothing needs a shell. {@code kc.home.dir} points at a per-instance home (its {@code data/}
 * holds the H2 database and {@code data/import/} the realm to import), so several servers share one built distribution.
 * <p>
 * The tests' {@code KeycloakServer} (livestage-testing) and the local stack's {@code KeycloakNode} (devstack) run the
 * same distribution from the same cache: tests and {@code ./livestage up} share one build per machine.
 */
public final class KeycloakDistribution {

    /** Env var or system property: a keycloak-quarkus-dist zip to use instead of the one from the local Maven repo. */
    public static final String DIST_ENV = "LIVESTAGE_KEYCLOAK_DIST";
    /** Env var or system property: where built distributions are cached (default {@code ~/.cache/livestage/keycloak}). */
    public static final String CACHE_ENV = "LIVESTAGE_KEYCLOAK_CACHE";

    /** Build-time options ({@code kc.sh build}); part of the cache key. The H2 file database. */
    public static final List<String> BUILD_OPTIONS = List.of("--db=dev-file");
    /**
     * Run-time options every server gets: local caches (no JGroups cluster, no ports besides HTTP), HTTP on loopback
     * only. Cache is a run-time option in Keycloak 26.7 ({@code kc.sh build} ignores it).
     */
    public static final List<String> RUN_OPTIONS = List.of("--cache=local", "--http-enabled=true", "--http-host=127.0.0.1");

    private static final String MARKER = "livestage-built.properties";

    private final String version;
    private final Path zip;

    private KeycloakDistribution(String version, Path zip) {
        this.version = version;
        this.zip = zip;
    }

    public String version() {
        return version;
    }

    public Path zip() {
        return zip;
    }

    /**
     * The zip: {@value #DIST_ENV} → the path Maven resolved when this module was built (the testing pom depends on
     * the zip, so a fresh machine downloads it) → the local Maven repository ({@code maven.repo.local},
     * {@code ~/.m2/settings.xml}'s localRepository, {@code ~/.m2/repository}).
     */
    public static KeycloakDistribution locate() {
        return locate(setting(DIST_ENV));
    }

    /** As {@link #locate()}, with the zip to use instead of {@value #DIST_ENV} ({@code null}: the usual places). */
    public static KeycloakDistribution locate(String override) {
        Properties build = buildProperties();
        String version = build.getProperty("version", "26.7.3");
        if (override != null) {
            Path p = Path.of(override).toAbsolutePath();
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException(DIST_ENV + "=" + override + " is not a keycloak-quarkus-dist zip");
            }
            Matcher m = Pattern.compile("keycloak-quarkus-dist-(.+)\\.zip").matcher(p.getFileName().toString());
            return new KeycloakDistribution(m.matches() ? m.group(1) : version, p);
        }
        List<Path> candidates = new ArrayList<>();
        String resolved = build.getProperty("dist.zip", "");
        if (!resolved.isBlank() && !resolved.startsWith("${")) {
            candidates.add(Path.of(resolved));
        }
        String relative = "org/keycloak/keycloak-quarkus-dist/" + version + "/keycloak-quarkus-dist-" + version + ".zip";
        for (Path repo : localRepositories()) {
            candidates.add(repo.resolve(relative));
        }
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return new KeycloakDistribution(version, candidate);
            }
        }
        throw new IllegalStateException("Keycloak " + version + " (org.keycloak:keycloak-quarkus-dist:" + version
                + ":zip) is not in the local Maven repository; looked at " + candidates + ". Let Maven fetch it: "
                + "./mvnw -B -q -pl infra dependency:resolve (or set " + DIST_ENV + " to the zip).");
    }

    /** The version this library was built with (the distribution {@link #locate()} looks for). */
    public static String defaultVersion() {
        return buildProperties().getProperty("version", "26.7.3");
    }

    private static Properties buildProperties() {
        Properties build = new Properties();
        try (InputStream in = KeycloakDistribution.class.getResourceAsStream("keycloak.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return build;
    }

    private static List<Path> localRepositories() {
        List<Path> repos = new ArrayList<>();
        String property = System.getProperty("maven.repo.local");
        if (property != null && !property.isBlank()) {
            repos.add(Path.of(property));
        }
        Path home = Path.of(System.getProperty("user.home"));
        Path settings = home.resolve(".m2/settings.xml");
        if (Files.isRegularFile(settings)) {
            try {
                Matcher m = Pattern.compile("<localRepository>\\s*([^<]+?)\\s*</localRepository>")
                        .matcher(Files.readString(settings));
                if (m.find()) {
                    repos.add(Path.of(m.group(1).replace("${user.home}", home.toString())));
                }
            } catch (IOException ignored) {
                // unreadable settings: the default location below
            }
        }
        repos.add(home.resolve(".m2/repository"));
        return repos;
    }

    public static String setting(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** {@value #CACHE_ENV}, else {@code $XDG_CACHE_HOME/livestage/keycloak}, else {@code ~/.cache/livestage/keycloak}. */
    public static Path defaultCacheRoot() {
        String override = setting(CACHE_ENV);
        if (override != null) {
            return Path.of(override).toAbsolutePath();
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("livestage").resolve("keycloak");
    }

    /** {@code <version>-<8 hex of sha-256(version, build options)>}: a new version or option gets a new build. */
    public String cacheKey() {
        return version + "-" + sha256(version + "\n" + String.join("\n", BUILD_OPTIONS)).substring(0, 8);
    }

    /**
     * The built distribution ({@code <cacheRoot>/<key>/keycloak-<version>}): unpacked and built the first time
     * (under a file lock, so concurrent JVMs build it once), reused afterwards.
     */
    public Path builtHome(Path cacheRoot, String javaCommand, Consumer<String> progress) {
        Path dir = cacheRoot.resolve(cacheKey());
        Path home = dir.resolve("keycloak-" + version);
        if (Files.isRegularFile(dir.resolve(MARKER)) && Files.isRegularFile(home.resolve("lib/quarkus-run.jar"))) {
            return home;
        }
        try {
            Files.createDirectories(cacheRoot);
            try (FileChannel channel = FileChannel.open(cacheRoot.resolve(cacheKey() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                if (Files.isRegularFile(dir.resolve(MARKER))) {
                    return home; // another JVM built it while we waited
                }
                deleteTree(dir);
                long t0 = System.nanoTime();
                progress.accept("Keycloak " + version + ": unpacking " + zip.getFileName() + " into " + dir + " (once per machine)");
                Path staging = Files.createDirectories(cacheRoot.resolve(cacheKey() + ".unpacking"));
                deleteTree(staging);
                unzip(zip, staging);
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
                progress.accept(String.format("Keycloak %s: unpacked in %.1f s; building (kc.sh build %s, once per machine) ...",
                        version, (System.nanoTime() - t0) / 1e9, String.join(" ", BUILD_OPTIONS)));
                long t1 = System.nanoTime();
                Path log = dir.resolve("build.log");
                List<String> args = new ArrayList<>(List.of("build"));
                args.addAll(BUILD_OPTIONS);
                Process build = new ProcessBuilder(command(javaCommand, home, home, List.of("-Xms64m", "-Xmx512m"), args))
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                build.getOutputStream().close();
                long lastReport = System.nanoTime();
                while (!build.waitFor(1, TimeUnit.SECONDS)) {
                    if (System.nanoTime() - lastReport > Duration.ofSeconds(15).toNanos()) {
                        progress.accept(String.format("Keycloak %s: still building (%.0f s)", version, (System.nanoTime() - t1) / 1e9));
                        lastReport = System.nanoTime();
                    }
                    if (System.nanoTime() - t1 > Duration.ofMinutes(10).toNanos()) {
                        build.destroyForcibly();
                        throw new IllegalStateException("kc.sh build did not finish within 10 minutes; see " + log);
                    }
                }
                if (build.exitValue() != 0) {
                    throw new IllegalStateException("kc.sh build failed (exit " + build.exitValue() + "); see " + log
                            + ":\n" + tail(log, 30));
                }
                Files.writeString(dir.resolve(MARKER), "version=" + version + "\nbuild.options=" + String.join(" ", BUILD_OPTIONS)
                        + "\nzip=" + zip + "\nbuild.seconds=" + String.format("%.1f", (System.nanoTime() - t1) / 1e9) + "\n");
                progress.accept(String.format("Keycloak %s: built in %.1f s (cached in %s)", version,
                        (System.nanoTime() - t1) / 1e9, dir));
                return home;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare Keycloak in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while building Keycloak", e);
        }
    }

    /**
     * A database with the realm already imported, made once per machine, realm file and bootstrap admin
     * ({@code <cacheRoot>/<key>/realm-<8 hex of sha-256(realm, admin)>/data/h2}, by {@code kc.sh import}): a server
     * started on a copy skips the schema creation and the import (about half of a first start). The master realm is
     * created by that import, so its bootstrap admin ({@code adminUsername}/{@code adminPassword}, for the admin REST
     * API) is created then too: Keycloak creates one only with the master realm. Returns the {@code h2} dir.
     */
    public Path databaseTemplate(Path cacheRoot, Path builtHome, String javaCommand, String realmFileName, byte[] realmJson,
            String adminUsername, String adminPassword, Consumer<String> progress) {
        String key = new String(realmJson, StandardCharsets.UTF_8) + "\nbootstrap-admin=" + adminUsername + ":" + adminPassword;
        Path dir = cacheRoot.resolve(cacheKey()).resolve("realm-" + sha256(key).substring(0, 8));
        Path h2 = dir.resolve("data").resolve("h2");
        if (Files.isRegularFile(dir.resolve(MARKER))) {
            return h2;
        }
        try {
            Files.createDirectories(cacheRoot);
            try (FileChannel channel = FileChannel.open(cacheRoot.resolve(cacheKey() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                if (Files.isRegularFile(dir.resolve(MARKER))) {
                    return h2;
                }
                deleteTree(dir);
                prepareInstanceHome(dir, builtHome, realmFileName, realmJson);
                long t0 = System.nanoTime();
                progress.accept("Keycloak " + version + ": creating the database and importing the realm once per realm file"
                        + " (kc.sh import) into " + dir + " ...");
                Path log = dir.resolve("import.log");
                List<String> args = new ArrayList<>(List.of("import", "--optimized", "--cache=local",
                        "--dir=" + dir.resolve("data").resolve("import"), "--override=true"));
                ProcessBuilder pb = new ProcessBuilder(command(javaCommand, builtHome, dir, List.of("-Xms64m", "-Xmx512m"), args))
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                isolate(pb.environment());
                pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", adminUsername);
                pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
                Process p = pb.start();
                p.getOutputStream().close();
                if (!p.waitFor(10, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("kc.sh import did not finish within 10 minutes; see " + log);
                }
                if (p.exitValue() != 0 || !Files.isDirectory(h2)) {
                    throw new IllegalStateException("kc.sh import failed (exit " + p.exitValue() + "); see " + log + ":\n" + tail(log, 30));
                }
                Files.writeString(dir.resolve(MARKER), "realm.sha256=" + sha256(new String(realmJson, StandardCharsets.UTF_8)) + "\n");
                progress.accept(String.format("Keycloak %s: realm database ready in %.1f s", version, (System.nanoTime() - t0) / 1e9));
                return h2;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the Keycloak database template in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while importing the realm", e);
        }
    }

    /**
     * Test servers get only what is on their command line: no {@code KC_*} settings of the developer's shell, and the
     * realm's placeholders ({@code LIVESTAGE_SERVICES_CLIENT_SECRET}) resolve to their dev defaults.
     */
    public static void isolate(Map<String, String> env) {
        env.keySet().removeIf(k -> k.startsWith("KC_") || k.startsWith("KEYCLOAK_") || k.equals("LIVESTAGE_SERVICES_CLIENT_SECRET"));
    }

    /** Copies a directory tree (the H2 template into an instance home). */
    public static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path copy = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(f, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /**
     * {@code start --optimized} with {@link #RUN_OPTIONS}, HTTP on {@code port}, the public URL {@code hostname}, INFO
     * logging, then {@code extra} (e.g. {@code --import-realm}).
     */
    public static List<String> startArguments(int port, String hostname, String... extra) {
        List<String> args = new ArrayList<>(List.of("start", "--optimized"));
        args.addAll(RUN_OPTIONS);
        args.addAll(List.of("--http-port=" + port, "--hostname=" + hostname, "--log-level=info"));
        args.addAll(List.of(extra));
        return args;
    }

    /** {@code <baseUrl>/realms/<realm>/.well-known/openid-configuration}: 200 once the realm is imported and served. */
    public static URI discoveryUrl(String baseUrl, String realm) {
        return URI.create(baseUrl + "/realms/" + realm + "/.well-known/openid-configuration");
    }

    /**
     * {@code java <options of kc.sh> -Dkc.home.dir=<instanceHome> -cp <dist>/lib/quarkus-run.jar QuarkusEntryPoint <args>}.
     * {@code heap} replaces kc.sh's {@code JAVA_OPTS_KC_HEAP} ({@code -Xms64m -Xmx512m}).
     */
    public static List<String> command(String javaCommand, Path dist, Path instanceHome, List<String> heap, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaCommand);
        // JAVA_OPTS of bin/kc.sh (26.7)
        cmd.addAll(List.of("-XX:MetaspaceSize=96M", "-XX:MaxMetaspaceSize=256m", "-Dfile.encoding=UTF-8",
                "-Dsun.stdout.encoding=UTF-8", "-Dsun.err.encoding=UTF-8", "-Dstdout.encoding=UTF-8", "-Dstderr.encoding=UTF-8",
                "-XX:+ExitOnOutOfMemoryError", "-Djava.security.egd=file:/dev/urandom", "-XX:+UseG1GC",
                "-Djdk.tls.rejectClientInitiatedRenegotiation=true"));
        cmd.addAll(heap);
        // JAVA_ADD_OPENS and JAVA_LOCALE of bin/kc.sh
        cmd.addAll(List.of("--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "--add-opens=java.base/java.security=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED", "-Duser.language=en", "-Duser.country=US"));
        if (Runtime.version().feature() >= 23) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.add("-Djava.util.concurrent.ForkJoinPool.common.threadFactory=io.quarkus.bootstrap.forkjoin.QuarkusForkJoinWorkerThreadFactory");
        // SERVER_OPTS of bin/kc.sh, with the instance's home
        cmd.add("-Dkc.home.dir=" + instanceHome.toAbsolutePath());
        cmd.add("-Djboss.server.config.dir=" + instanceHome.toAbsolutePath().resolve("conf"));
        cmd.add("-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
        cmd.add("-Dpicocli.disable.closures=true");
        cmd.add("-Dquarkus-log-max-startup-records=10000");
        cmd.add("-cp");
        cmd.add(dist.toAbsolutePath().resolve("lib").resolve("quarkus-run.jar").toString());
        cmd.add("io.quarkus.bootstrap.runner.QuarkusEntryPoint");
        cmd.addAll(args);
        return cmd;
    }

    /**
     * An instance home: {@code conf/}, {@code providers/} (empty), {@code data/import/<realm file>}, and {@code lib}
     * = a link to the built distribution's {@code lib} (Keycloak reads its build from {@code <home>/lib/quarkus};
     * where links are not allowed, a copy of {@code lib/quarkus}).
     */
    public static void prepareInstanceHome(Path home, Path dist, String realmFileName, byte[] realmJson) throws IOException {
        Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("providers"));
        Path imports = Files.createDirectories(home.resolve("data").resolve("import"));
        Files.write(imports.resolve(realmFileName), realmJson);
        Path lib = home.resolve("lib");
        Path target = dist.toAbsolutePath().resolve("lib");
        if (Files.isSymbolicLink(lib)) {
            if (Files.readSymbolicLink(lib).equals(target)) {
                return;
            }
            Files.delete(lib);
        } else if (Files.isDirectory(lib)) {
            deleteTree(lib);
        }
        try {
            Files.createSymbolicLink(lib, target);
        } catch (IOException | UnsupportedOperationException e) {
            Path quarkus = target.resolve("quarkus");
            try (Stream<Path> files = Files.walk(quarkus)) {
                for (Path f : files.toList()) {
                    Path copy = lib.resolve("quarkus").resolve(quarkus.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(copy);
                    } else {
                        Files.copy(f, copy, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    private static void unzip(Path zip, Path target) throws IOException {
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = zf.entries();
            Path root = target.toAbsolutePath().normalize();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path out = root.resolve(entry.getName()).normalize();
                if (!out.startsWith(root)) {
                    throw new IOException("Zip entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    try (InputStream in = zf.getInputStream(entry)) {
                        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                    if (entry.getName().endsWith(".sh")) {
                        out.toFile().setExecutable(true);
                    }
                }
            }
        }
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    public static String tail(Path file, int lines) {
        return String.join("\n", ChildProcess.tail(file, lines));
    }

    public static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
