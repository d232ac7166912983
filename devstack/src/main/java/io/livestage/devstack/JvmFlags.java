package io.livestage.devstack;

import java.util.ArrayList;
import java.util.List;

/** JVM flags for child JVMs (same java binary as the launcher). */
final class JvmFlags {

    private JvmFlags() {
    }

    /**
     * On newer JDKs, allow what Kafka/Netty/zstd-jni do (sun.misc.Unsafe memory access, JNI loading) instead of
     * filling the logs with warnings. Only flags the running JDK knows: an unknown flag stops the JVM.
     */
    static List<String> quietOnModernJdk() {
        List<String> flags = new ArrayList<>();
        int feature = Runtime.version().feature();
        flags.add("--enable-native-access=ALL-UNNAMED");
        if (feature >= 23) {
            flags.add("--sun-misc-unsafe-memory-access=allow");
        }
        return flags;
    }
}
