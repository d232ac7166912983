package io.livestage.infra.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** JVM flags for child JVMs (services, the Kafka broker) run on the same java binary as their parent. */
public final class JvmFlags {

    private JvmFlags() {
    }

    /** The java binary of the running JVM, so children run on the same JDK. */
    public static String currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * On newer JDKs, allow what Kafka/Netty/zstd-jni do (sun.misc.Unsafe memory access, JNI loading) instead of
     * filling the logs with warnings. Only flags the running JDK knows: an unknown flag stops the JVM.
     */
    public static List<String> quietOnModernJdk() {
        List<String> flags = new ArrayList<>();
        flags.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 23) {
            flags.add("--sun-misc-unsafe-memory-access=allow");
        }
        return flags;
    }

    /** Whitespace-separated options as a list ({@code "-Xmx1g -XX:+UseG1GC"}); blank or null gives none. */
    public static List<String> split(String options) {
        String trimmed = options == null ? "" : options.trim();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }
}
