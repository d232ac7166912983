package io.livestage.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.livestage.devstack.StartupCache.Mode;
import io.livestage.devstack.StartupCache.Plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StartupCacheTest {

    @TempDir
    Path module;

    private Path app;
    private Path aot;
    private Path jsa;

    @BeforeEach
    void buildOutput() throws IOException {
        app = Files.createDirectories(module.resolve("target/quarkus-app"));
        Files.createDirectories(app.resolve("app"));
        Files.writeString(app.resolve("quarkus-run.jar"), "jar");
        Files.writeString(app.resolve("app/service.jar"), "classes");
        at(app.resolve("quarkus-run.jar"), 1_000);
        at(app.resolve("app/service.jar"), 1_000);
        aot = module.resolve("target").resolve(StartupCache.AOT_FILE);
        jsa = module.resolve("target").resolve(StartupCache.CDS_FILE);
    }

    @Test
    void jdk25FirstInstanceTrainsWhenThereIsNoCacheAndGetsTimeToWriteIt() {
        Plan first = StartupCache.plan(true, 25, List.of("-Xmx512m"), app, 1);

        assertThat(first.mode()).isEqualTo(Mode.AOT_TRAINING);
        assertThat(first.options()).containsExactly("-XX:AOTCacheOutput=" + aot);
        assertThat(first.writesAtStop()).isTrue();
        assertThat(first.stopGrace(Duration.ofSeconds(20))).isEqualTo(StartupCache.WRITE_GRACE);
        // one writer per file: the second instance starts without a cache
        Plan second = StartupCache.plan(true, 25, List.of(), app, 2);
        assertThat(second.mode()).isEqualTo(Mode.NONE);
        assertThat(second.options()).isEmpty();
        assertThat(second.stopGrace(Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void theCacheFilesAreTheOnesThePlansUse() {
        Plan training = StartupCache.plan(true, 25, List.of(), app, 1);
        List<Path> files = StartupCache.files(app);

        assertThat(files).contains(aot, jsa, aot.resolveSibling(StartupCache.AOT_OPTIONS_FILE));
        assertThat(training.options()).allMatch(o -> files.stream().anyMatch(f -> o.endsWith(f.toString())));
    }

    @Test
    void jdk25EveryInstanceMapsACacheNewerThanTheBuild() throws IOException {
        Files.writeString(aot, "cache");
        at(aot, 2_000);
        StartupCache.recordTraining(StartupCache.plan(true, 25, List.of(), app, 1), app, List.of());

        for (int instance = 1; instance <= 2; instance++) {
            Plan plan = StartupCache.plan(true, 26, List.of(), app, instance);
            assertThat(plan.mode()).isEqualTo(Mode.AOT);
            assertThat(plan.options()).containsExactly(StartupCache.AOT_INITIAL_HEAP, "-XX:AOTCache=" + aot,
                    "-Xlog:aot*=error");
            assertThat(plan.writesAtStop()).isFalse();
        }
    }

    @Test
    void aCacheTrainedWithOtherJvmOptionsOrWithNoRecordIsNotUsed() throws IOException {
        List<String> serial = List.of("-XX:+UseSerialGC");
        Plan training = StartupCache.plan(true, 25, serial, app, 1);
        StartupCache.recordTraining(training, app, serial);
        Files.writeString(aot, "cache");
        at(aot, 2_000);

        assertThat(Files.readString(module.resolve("target").resolve(StartupCache.AOT_OPTIONS_FILE)))
                .isEqualTo(StartupCache.fingerprint(serial)).contains("-XX:+UseSerialGC");
        assertThat(StartupCache.plan(true, 25, serial, app, 2).mode()).isEqualTo(Mode.AOT);
        assertThat(StartupCache.plan(true, 25, List.of("-XX:+UseZGC"), app, 1).mode()).isEqualTo(Mode.AOT_TRAINING);
        assertThat(StartupCache.plan(true, 25, List.of("-XX:+UseZGC"), app, 2).mode()).isEqualTo(Mode.NONE);
        Files.delete(module.resolve("target").resolve(StartupCache.AOT_OPTIONS_FILE));
        assertThat(StartupCache.plan(true, 25, serial, app, 2).mode()).isEqualTo(Mode.NONE);
        // only a training run records
        StartupCache.recordTraining(StartupCache.plan(true, 21, serial, app, 1), app, serial);
        assertThat(module.resolve("target").resolve(StartupCache.AOT_OPTIONS_FILE)).doesNotExist();
    }

    @Test
    void aRebuildMakesTheCacheStaleAndTheFirstInstanceTrainsAgain() throws IOException {
        Files.writeString(aot, "cache");
        at(aot, 2_000);
        StartupCache.recordTraining(StartupCache.plan(true, 25, List.of(), app, 1), app, List.of());
        at(app.resolve("app/service.jar"), 3_000);

        assertThat(StartupCache.usable(aot, app)).isFalse();
        assertThat(StartupCache.plan(true, 25, List.of(), app, 1).mode()).isEqualTo(Mode.AOT_TRAINING);
        assertThat(StartupCache.plan(true, 25, List.of(), app, 2).mode()).isEqualTo(Mode.NONE);
    }

    @Test
    void anEmptyCacheIsNotUsed() throws IOException {
        Files.writeString(aot, "");
        at(aot, 2_000);

        assertThat(StartupCache.usable(aot, app)).isFalse();
    }

    @Test
    void olderJdksUseTheDynamicAppCdsArchiveWrittenByTheFirstInstance() {
        Plan first = StartupCache.plan(true, 21, List.of(), app, 1);
        assertThat(first.mode()).isEqualTo(Mode.CDS);
        assertThat(first.options()).containsExactly("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + jsa,
                "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        assertThat(first.writesAtStop()).isTrue();

        Plan second = StartupCache.plan(true, 24, List.of(), app, 2);
        assertThat(second.mode()).isEqualTo(Mode.CDS);
        assertThat(second.options()).containsExactly("-XX:SharedArchiveFile=" + jsa, "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off");
        assertThat(second.writesAtStop()).isFalse();
    }

    @Test
    void nothingWhenOffUnknownJavaOrTheCallerChoosesItsOwnArchive() {
        assertThat(StartupCache.plan(false, 25, List.of(), app, 1)).isEqualTo(Plan.NONE);
        assertThat(StartupCache.plan(true, 0, List.of(), app, 1)).isEqualTo(Plan.NONE);
        for (String own : List.of("-XX:SharedArchiveFile=target/scale-cds.jsa", "-XX:AOTCache=x.aot",
                "-XX:AOTCacheOutput=x.aot", "-XX:AOTMode=off", "-Xshare:off", "-XX:ArchiveClassesAtExit=a.jsa")) {
            assertThat(StartupCache.plan(true, 25, List.of("-Xmx256m", own), app, 1)).as(own).isEqualTo(Plan.NONE);
        }
        assertThat(StartupCache.choosesArchive("-Xss512k")).isFalse();
    }

    @Test
    void theLaunchersOwnJavaHasItsVersionAnotherJavaIsUnknown() {
        assertThat(StartupCache.javaFeature(DevStackConfig.defaultJavaCommand())).isEqualTo(Runtime.version().feature());
        assertThat(StartupCache.javaFeature("/opt/some-other-jdk/bin/java")).isZero();
    }

    @Test
    void onByDefaultOffThroughTheEnvironment() {
        Path root = Path.of("/work/repo");
        assertThat(DevStackConfig.fromEnvironment(root, Map.of()).startupCache()).isTrue();
        DevStackConfig off = DevStackConfig.fromEnvironment(root, Map.of("LIVESTAGE_STARTUP_CACHE", "off"));
        assertThat(off.startupCache()).isFalse();
        assertThat(off.toBuilder().build().startupCache()).isFalse();
        assertThatThrownBy(() -> DevStackConfig.fromEnvironment(root, Map.of("LIVESTAGE_STARTUP_CACHE", "maybe")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LIVESTAGE_STARTUP_CACHE");
    }

    @Test
    void anInstanceOfTheStackGetsItsModulesCache(@TempDir Path root) throws IOException {
        Catalog.ServiceSpec session = Catalog.SERVICES.getFirst();
        Path sessionApp = Files.createDirectories(root.resolve(session.module()).resolve("target/quarkus-app"));
        Files.writeString(sessionApp.resolve("quarkus-run.jar"), "jar");
        DevStackConfig config = DevStackConfig.builder(root).build();
        DevStackConfig.Instance first = config.instancesOf(session).getFirst();

        Plan plan = ServiceProcess.startupCache(config, first);

        Path cache = root.resolve(session.module()).resolve("target").resolve(StartupCache.AOT_FILE).toAbsolutePath();
        if (Runtime.version().feature() >= StartupCache.AOT_JDK) {
            assertThat(plan.options()).containsExactly("-XX:AOTCacheOutput=" + cache);
        } else {
            assertThat(plan.mode()).isEqualTo(Mode.CDS);
        }
        assertThat(ServiceProcess.startupCache(config.toBuilder().startupCache(false).build(), first)).isEqualTo(Plan.NONE);
    }

    private static void at(Path file, long epochSecond) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(epochSecond)));
    }

    @Test
    void theBrokerWritesAndMapsADynamicArchiveUnlessItsOptionsChooseOne() {
        Path archive = module.resolve("kafka-startup.jsa");
        assertThat(StartupCache.brokerOptions(true, 25, List.of("-Xmx1g"), archive)).containsExactly(
                "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off");
        assertThat(StartupCache.brokerOptions(true, 21, List.of(), archive)).hasSize(4);
        assertThat(StartupCache.brokerOptions(false, 25, List.of(), archive)).isEmpty();
        assertThat(StartupCache.brokerOptions(true, 0, List.of(), archive)).isEmpty();
        assertThat(StartupCache.brokerOptions(true, 25, List.of("-XX:SharedArchiveFile=/elsewhere.jsa"), archive))
                .isEmpty();
    }
}
