package io.livestage.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The class cache a service's JVM starts from (docs/adr/0020-startup-cache.md), one per module in
 * {@code <module>/target/}, written by a first start and used by the next ones:
 * <ul>
 * <li>JDK 25 or newer: an AOT cache (JEP 483/514/515). With no usable cache the service's first instance is a training
 * run ({@code -XX:AOTCacheOutput}): the JVM writes the cache when it stops. Later starts map it
 * ({@code -XX:AOTCache}): classes loaded and linked, the archived heap objects and method profiles; a session-service
 * starts on about 4.4 CPU seconds instead of 10.5. A cache older than the build output is not used (the JVM would
 * refuse it anyway), nor one trained with another java or other JVM options ({@link #AOT_OPTIONS_FILE}); the
 * service's other instances run without one until it exists.</li>
 * <li>JDK 21 to 24: a dynamic AppCDS archive as the images use ({@code -XX:+AutoCreateSharedArchive}), written by the
 * first instance when it stops and mapped by the others.</li>
 * </ul>
 * Nothing is added when the caller's JVM options choose an archive themselves ({@code LIVESTAGE_SERVICE_JAVA_OPTS},
 * the scale benchmark), when {@code LIVESTAGE_STARTUP_CACHE=off}, or when the services run on another java than the
 * launcher's (its version is unknown).
 */
final class StartupCache {

    /** The AOT cache of a module, in its {@code target/}. */
    static final String AOT_FILE = "livestage-startup.aot";
    /**
     * Next to the AOT cache: the java and the JVM options it was trained with. A cache used with other options can do
     * worse than none: a JVM whose collector cannot load its archived heap objects (ZGC on JDK 25) refuses to start.
     */
    static final String AOT_OPTIONS_FILE = AOT_FILE + ".options";
    /** The dynamic AppCDS archive of a module (JDK 21-24), in its {@code target/}. */
    static final String CDS_FILE = "livestage-startup.jsa";
    /** The first JDK whose AOT cache keeps method profiles as well (JEP 515) and trains in one run (JEP 514). */
    static final int AOT_JDK = 25;
    /**
     * How long a stopping instance that writes the cache gets before SIGKILL: writing it is a second JVM (the AOT
     * assembly) or a dump of ~20,000 classes, 5-40 s on a loaded 2-core machine, measured.
     */
    static final Duration WRITE_GRACE = Duration.ofSeconds(120);

    /**
     * The initial heap with an AOT cache: the cache's archived heap objects (~7 MB for session-service) are copied into
     * the old generation at start, and a JVM whose initial heap cannot take them refuses to start ("archived heap
     * objects cannot be loaded"), e.g. with {@code -XX:MaxRAM=512m} (8 MB initial heap). Options the caller gives come
     * later on the command line and win.
     */
    static final String AOT_INITIAL_HEAP = "-Xms32m";

    private static final List<String> ARCHIVE_OPTIONS = List.of("-XX:SharedArchiveFile=", "-XX:ArchiveClassesAtExit=",
            "-XX:+AutoCreateSharedArchive", "-XX:AOTCache=", "-XX:AOTCacheOutput=", "-XX:AOTMode=",
            "-XX:AOTConfiguration=", "-Xshare:");

    enum Mode {
        /** no cache options */
        NONE,
        /** JDK 25+: map the module's AOT cache */
        AOT,
        /** JDK 25+: a training run, the AOT cache written at stop */
        AOT_TRAINING,
        /** JDK 21-24: the dynamic AppCDS archive, written at stop by the first instance */
        CDS
    }

    /** The options to put before the caller's JVM options, and whether stopping this instance writes the cache. */
    record Plan(Mode mode, List<String> options, boolean writesAtStop) {

        static final Plan NONE = new Plan(Mode.NONE, List.of(), false);

        /** SIGTERM to SIGKILL: long enough to write the cache when this instance writes it. */
        Duration stopGrace(Duration usual) {
            return writesAtStop && WRITE_GRACE.compareTo(usual) > 0 ? WRITE_GRACE : usual;
        }
    }

    private StartupCache() {
    }

    /**
     * The cache options of one instance.
     *
     * @param enabled         {@code LIVESTAGE_STARTUP_CACHE}
     * @param javaFeature     the feature version of the services' java, 0 when unknown
     * @param callerOptions   the JVM options the stack was given for every service
     * @param quarkusApp      the module's {@code target/quarkus-app} (the build output the cache belongs to)
     * @param instanceIndex   1 for the service's first instance
     */
    static Plan plan(boolean enabled, int javaFeature, List<String> callerOptions, Path quarkusApp, int instanceIndex) {
        if (!enabled || javaFeature < 21 || callerOptions.stream().anyMatch(StartupCache::choosesArchive)) {
            return Plan.NONE;
        }
        Path target = quarkusApp.toAbsolutePath().normalize().getParent();
        boolean first = instanceIndex == 1;
        if (javaFeature >= AOT_JDK) {
            Path cache = target.resolve(AOT_FILE);
            if (usable(cache, quarkusApp) && trainedWith(target, callerOptions)) {
                // errors (a cache the JVM cannot use) still reach the service's log; JDK 25's warnings about single
                // code stubs it does not take from the cache do not
                return new Plan(Mode.AOT, List.of(AOT_INITIAL_HEAP, "-XX:AOTCache=" + cache, "-Xlog:aot*=error"), false);
            }
            // one writer per file: the other instances start without a cache this time
            return first ? new Plan(Mode.AOT_TRAINING, List.of("-XX:AOTCacheOutput=" + cache), true) : Plan.NONE;
        }
        Path archive = target.resolve(CDS_FILE);
        return first
                ? new Plan(Mode.CDS, List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive,
                        "-Xlog:cds=off", "-Xlog:cds+dynamic=off"), true)
                // maps the archive when it is there and valid, else starts without it (no writer: the first instance is)
                : new Plan(Mode.CDS, List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off",
                        "-Xlog:cds+dynamic=off"), false);
    }

    /**
     * The Kafka broker's class cache: a dynamic AppCDS archive ({@code archive}, in the broker's state directory) that
     * its JVM writes when it stops and maps on its next start; none under the same conditions as {@link #plan}.
     */
    static List<String> brokerOptions(boolean enabled, int javaFeature, List<String> brokerOptions, Path archive) {
        if (!enabled || javaFeature < 21 || brokerOptions.stream().anyMatch(StartupCache::choosesArchive)) {
            return List.of();
        }
        return List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off");
    }

    /** What {@link #AOT_OPTIONS_FILE} holds for these options: the java (version and home) and the options, a line each. */
    static String fingerprint(List<String> callerOptions) {
        return Runtime.version() + "\n" + System.getProperty("java.home") + "\n" + String.join("\n", callerOptions) + "\n";
    }

    /** Records what the training run of {@code plan} runs with (before it starts: the cache comes at its stop). */
    static void recordTraining(Plan plan, Path quarkusApp, List<String> callerOptions) {
        if (plan.mode() != Mode.AOT_TRAINING) {
            return;
        }
        try {
            Files.writeString(quarkusApp.toAbsolutePath().normalize().getParent().resolve(AOT_OPTIONS_FILE),
                    fingerprint(callerOptions));
        } catch (IOException e) {
            // no record: the next start trains again instead of using the cache
        }
    }

    private static boolean trainedWith(Path target, List<String> callerOptions) {
        try {
            return Files.readString(target.resolve(AOT_OPTIONS_FILE)).equals(fingerprint(callerOptions));
        } catch (IOException e) {
            return false;
        }
    }

    /** The files a module's cache consists of, next to its build output {@code quarkusApp} (the JVM's too). */
    static List<Path> files(Path quarkusApp) {
        Path target = quarkusApp.toAbsolutePath().normalize().getParent();
        return List.of(target.resolve(AOT_FILE), target.resolve(AOT_OPTIONS_FILE), target.resolve(AOT_FILE + ".config"),
                target.resolve(CDS_FILE));
    }

    /** The feature version of {@code javaCommand} when it is the launcher's own java, else 0 (not known). */
    static int javaFeature(String javaCommand) {
        return javaCommand.equals(DevStackConfig.defaultJavaCommand()) ? Runtime.version().feature() : 0;
    }

    static boolean choosesArchive(String option) {
        return ARCHIVE_OPTIONS.stream().anyMatch(option::startsWith);
    }

    /** The cache exists and is newer than every file of the build output (a rebuild makes it stale). */
    static boolean usable(Path cache, Path quarkusApp) {
        try {
            if (!Files.isRegularFile(cache) || Files.size(cache) == 0) {
                return false;
            }
            FileTime written = Files.getLastModifiedTime(cache);
            try (Stream<Path> files = Files.walk(quarkusApp)) {
                return files.filter(Files::isRegularFile).noneMatch(f -> newer(f, written));
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean newer(Path file, FileTime than) {
        try {
            return Files.getLastModifiedTime(file).compareTo(than) > 0;
        } catch (IOException e) {
            return true;
        }
    }
}
