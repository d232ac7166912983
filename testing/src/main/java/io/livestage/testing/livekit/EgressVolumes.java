package io.livestage.testing.livekit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Where the stub's egress writes: the filesystem of an egress container, whose local storage puts a file at
 * {@code path.Join(cwd, filepath)} with cwd {@code /} (livekit/storage local.go; the egress handler runs in {@code /}),
 * and reports that path as the file's {@code location}. Host directories are mounted like volumes
 * ({@code -v ~/recordings:/out}); a location outside every mount lands in a private temporary directory that stands
 * for the rest of the container, as in production, where such a file stays inside the egress container.
 */
final class EgressVolumes {

    private final Map<String, Path> mounts = new ConcurrentHashMap<>();
    private final Path containerRoot;

    EgressVolumes() {
        try {
            containerRoot = Files.createTempDirectory("livekit-stub-egress-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the egress container directory", e);
        }
    }

    void mount(String containerPath, Path hostDirectory) {
        String normalised = EgressFilepaths.clean(containerPath);
        if (!normalised.startsWith("/") || normalised.equals("/")) {
            throw new IllegalArgumentException("mount an absolute directory other than /, not " + containerPath);
        }
        mounts.put(normalised.endsWith("/") ? normalised.substring(0, normalised.length() - 1) : normalised,
                hostDirectory.toAbsolutePath());
    }

    void unmountAll() {
        mounts.clear();
    }

    Path containerRoot() {
        return containerRoot;
    }

    /** The location egress reports for a storage path: absolute, cleaned. */
    static String location(String storagePath) {
        return EgressFilepaths.clean("/" + storagePath);
    }

    /** The host file behind a location: under the longest matching mount, else under the container root. */
    Path hostPath(String location) {
        String cleaned = location(location);
        Optional<Map.Entry<String, Path>> mount = mounts.entrySet().stream()
                .filter(entry -> cleaned.equals(entry.getKey()) || cleaned.startsWith(entry.getKey() + "/"))
                .max(Comparator.comparingInt(entry -> entry.getKey().length()));
        if (mount.isPresent()) {
            String rest = cleaned.substring(mount.get().getKey().length());
            return rest.isEmpty() ? mount.get().getValue() : mount.get().getValue().resolve(rest.substring(1));
        }
        return containerRoot.resolve(cleaned.substring(1));
    }

    /** Deletes the container root (never a mounted host directory). */
    void deleteContainerRoot() {
        try (Stream<Path> paths = Files.walk(containerRoot)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }
}
