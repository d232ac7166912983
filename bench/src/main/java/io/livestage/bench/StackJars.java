package io.livestage.bench;

import java.nio.file.Path;

/** Where the services a benchmark runs come from, and their JVM options: the knobs every live-stack benchmark shares. */
record StackJars(Path repoRoot, Path sessionJar, Path tokenJar, String serviceJavaOpts) {

    static StackJars from(Knobs knobs) {
        Path root = knobs.root();
        return new StackJars(root,
                root.resolve(knobs.string("session-jar", "session-service/target/quarkus-app/quarkus-run.jar")),
                root.resolve(knobs.string("token-jar", "token-service/target/quarkus-app/quarkus-run.jar")),
                knobs.string("service-java-opts", ""));
    }
}
