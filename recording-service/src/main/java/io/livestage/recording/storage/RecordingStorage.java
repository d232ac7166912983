package io.livestage.recording.storage;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.config.RecordingConfig;

/**
 * Where a completed output's file is, from the location egress reported: with local storage a file under the
 * configured folder as this service sees it ({@code storage.local-directory}, else {@code storage.directory}); with S3
 * the object key in the bucket, served as a presigned GET. A location is only accepted when it is the file egress was
 * asked to write for that recording ({@code <session>/<recording>-<time>.<ext>} under the storage folder or prefix):
 * no {@code ..}, no other folder, nothing outside the storage root. The start (every profile) refuses {@code storage.type=s3}
 * without bucket and key pair, naming the missing keys (never a value).
 */
@ApplicationScoped
public class RecordingStorage {
    /** What egress makes of {@code <recording>-{time}.<ext>}: letters, digits, '-', '_', '.', no other separator. */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    private final RecordingConfig.Storage config;
    private final Vertx vertx;
    private final Path localRoot;
    private final S3Presigner presigner;

    public RecordingStorage(RecordingConfig config, Vertx vertx) {
        this.config = config.storage();
        this.vertx = vertx;
        this.localRoot = Path.of(this.config.localDirectory().orElse(
                this.config.directory().isBlank() ? "." : this.config.directory())).toAbsolutePath().normalize();
        this.presigner = s3() ? presigner(this.config.s3()) : null;
    }

    void check(@Observes StartupEvent start) {
        // the constructor has validated; this makes the bean (and so the check) run at startup
        config.type();
    }

    public boolean s3() {
        return config.type() == RecordingConfig.Storage.Type.S3;
    }

    /** The local file of {@code location}, or a 404 problem when it is not a file of that recording. */
    public Path localFile(String location, UUID session, UUID recording) {
        String relative = relative(location, config.directory());
        if (relative == null || !ownFile(relative, session, recording)) {
            throw missing(recording);
        }
        try {
            Path file = localRoot.resolve(relative).normalize();
            if (!file.startsWith(localRoot) || file.equals(localRoot)) {
                throw missing(recording);
            }
            return file;
        } catch (InvalidPathException e) {
            throw missing(recording);
        }
    }

    /**
     * The local file of a session's HLS output ({@code <root>/hls/<session>/<name>}, where the stream egress writes
     * it), or a 404 problem for a name egress does not make.
     */
    public Path hlsFile(UUID session, String name) {
        if (name == null || name.length() > 80 || !FILE_NAME.matcher(name).matches() || name.startsWith(".")) {
            throw ProblemException.notFound("HLS file " + name);
        }
        return localRoot.resolve("hls").resolve(session.toString()).resolve(name).normalize();
    }

    /** The size and modification time of a regular file, without blocking the event loop; 404 when it is gone. */
    public Uni<FileServing.Stat> stat(Path file, UUID recording) {
        return vertx.fileSystem().props(file.toString()).map(props -> {
            if (!props.isRegularFile()) {
                throw missing(recording);
            }
            return new FileServing.Stat(props.size(), props.lastModifiedTime());
        }).onFailure(e -> e instanceof NoSuchFileException || e.getCause() instanceof NoSuchFileException
                || (e.getMessage() != null && e.getMessage().contains("NoSuchFileException")))
                .transform(e -> missing(recording));
    }

    /**
     * A short-lived presigned GET of the object {@code location} names; {@code attachment} (a safe file name, or
     * null) asks S3 to answer with {@code Content-Disposition: attachment}.
     */
    public URI presignedGet(String location, UUID session, UUID recording, String attachment) {
        String key = key(location, config.s3().prefix(), session, recording);
        if (key == null) {
            throw missing(recording);
        }
        Map<String, String> extra = attachment == null ? Map.of()
                : Map.of("response-content-disposition", "attachment; filename=\"" + attachment + "\"");
        return presigner.presignGet(key, Instant.now(), config.s3().presignTtl(), extra);
    }

    /** {@code location} relative to the egress-side {@code directory}, or null when it is not under it. */
    static String relative(String location, String directory) {
        if (location == null || location.isEmpty() || location.indexOf('\0') >= 0 || location.contains("\\")) {
            return null;
        }
        if (directory == null || directory.isBlank()) {
            return location.startsWith("/") ? null : location;
        }
        String base = directory.endsWith("/") ? directory : directory + "/";
        return location.startsWith(base) ? location.substring(base.length()) : null;
    }

    /** {@code <session>/<recording>-<name>}: one folder, the recording's own file, nothing else. */
    static boolean ownFile(String relative, UUID session, UUID recording) {
        String folder = session + "/";
        if (!relative.startsWith(folder)) {
            return false;
        }
        String name = relative.substring(folder.length());
        return name.startsWith(recording + "-") && FILE_NAME.matcher(name).matches() && !name.contains("..");
    }

    /**
     * The object key in an S3 location (a URL, virtual-hosted or path style, or the bare key): from
     * {@code <prefix>/<session>/} on, up to a query string; null when it is not the recording's file.
     */
    static String key(String location, String prefix, UUID session, UUID recording) {
        if (location == null) {
            return null;
        }
        String folder = (prefix == null || prefix.isBlank() ? "" : strip(prefix) + "/") + session + "/";
        int at = location.indexOf(folder + recording + "-");
        if (at < 0) {
            return null;
        }
        String key = location.substring(at);
        int query = key.indexOf('?');
        key = query < 0 ? key : key.substring(0, query);
        return ownFile(key.substring(folder.length() - (session + "/").length()), session, recording) ? key : null;
    }

    private static String strip(String prefix) {
        String p = prefix;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static ProblemException missing(UUID recording) {
        return ProblemException.notFound("file of recording " + recording);
    }

    private static S3Presigner presigner(RecordingConfig.S3 s3) {
        List<String> missing = new ArrayList<>();
        if (s3.bucket().isEmpty()) {
            missing.add("livestage.recording.storage.s3.bucket (LIVESTAGE_RECORDING_STORAGE_S3_BUCKET)");
        }
        if (s3.accessKey().isEmpty()) {
            missing.add("livestage.recording.storage.s3.access-key (LIVESTAGE_RECORDING_STORAGE_S3_ACCESS_KEY)");
        }
        if (s3.secret().isEmpty()) {
            missing.add("livestage.recording.storage.s3.secret (LIVESTAGE_RECORDING_STORAGE_S3_SECRET)");
        }
        if (!missing.isEmpty()) {
            throw new ConfigurationException("livestage.recording.storage.type=s3 needs " + String.join(", ", missing));
        }
        URI endpoint;
        try {
            endpoint = URI.create(s3.endpoint().orElse("https://s3." + s3.region() + ".amazonaws.com"));
            return new S3Presigner(endpoint, s3.region(), s3.bucket().get(), s3.forcePathStyle(),
                    s3.accessKey().get(), s3.secret().get());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("livestage.recording.storage.s3.endpoint is not an absolute URL such as "
                    + "https://s3.eu-central-1.amazonaws.com");
        }
    }
}
