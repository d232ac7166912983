package io.livestage.recording.service;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import io.livestage.events.recording.RecordingFormat;
import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.model.Output;
import io.livestage.recording.model.OutputStatus;
import io.livestage.recording.model.SessionInfo;
import io.livestage.recording.repository.RecordingRepository;
import io.livestage.recording.repository.SessionRepository;
import io.livestage.recording.storage.ContentTypes;
import io.livestage.recording.storage.RecordingStorage;

/**
 * Who may fetch a recording's file and where it is. PUBLIC and UNLISTED sessions: anyone signed in; PRIVATE: the host
 * and the session's participants, everybody else gets the same 404 as for a session that does not exist (the file
 * endpoint does not reveal private sessions). Only a COMPLETE output has a file (409 before). The answer is the local
 * file to serve, or with S3 storage a presigned URL to redirect to.
 */
@ApplicationScoped
public class RecordingFiles {
    private final SessionRepository sessions;
    private final RecordingRepository recordings;
    private final RecordingStorage storage;

    /** A file to send (local storage) or a URL to redirect to (S3), with its type and download name. */
    public record Target(Path file, URI redirect, String contentType, String downloadName) {
    }

    public RecordingFiles(SessionRepository sessions, RecordingRepository recordings, RecordingStorage storage) {
        this.sessions = sessions;
        this.recordings = recordings;
        this.storage = storage;
    }

    /** The {@code format} file of recording {@code recording} of session {@code ref}, for {@code caller}. */
    public Uni<Target> locate(String ref, UUID recording, RecordingFormat format, String caller, boolean download) {
        return sessions.find(ref).chain(session -> {
            if (session == null || "DELETED".equals(session.status())) {
                throw ProblemException.notFound("session " + ref);
            }
            return visible(session, caller, ref)
                    .chain(() -> recordings.find(sessions.pool(), session.id(), recording))
                    .map(found -> {
                        if (found == null) {
                            throw ProblemException.notFound("recording " + recording);
                        }
                        Output output = found.outputs().stream().filter(o -> o.format() == format).findFirst()
                                .orElseThrow(() -> ProblemException.notFound(format + " file of recording "
                                        + recording));
                        if (output.status() != OutputStatus.COMPLETE || output.location() == null) {
                            throw ProblemException.conflict("The " + format + " output of recording " + recording
                                    + " is " + output.status() + "; its file is served once it is COMPLETE");
                        }
                        String name = downloadName(session.slug(), recording, output.location());
                        if (storage.s3()) {
                            return new Target(null, storage.presignedGet(output.location(), session.id(), recording,
                                    download ? name : null), ContentTypes.of(output.location()), name);
                        }
                        return new Target(storage.localFile(output.location(), session.id(), recording), null,
                                ContentTypes.of(output.location()), name);
                    });
        });
    }

    /** Not the host nor a participant of a PRIVATE session: 404, as if it did not exist. */
    private Uni<Void> visible(SessionInfo session, String caller, String ref) {
        if (!session.privateSession() || caller.equals(session.hostId())) {
            return Uni.createFrom().voidItem();
        }
        return sessions.member(session.id(), caller).map(member -> {
            if (member == null || member.removed()) {
                throw ProblemException.notFound("session " + ref);
            }
            return null;
        });
    }

    /**
     * {@code <slug>-<first 8 of the recording id>.<ext>}, only letters, digits, '-' and '_' (anything else becomes
     * '-'), so it is safe in a quoted Content-Disposition filename.
     */
    static String downloadName(String slug, UUID recording, String location) {
        String base = slug == null ? "" : slug.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-")
                .replaceAll("^-+|-+$", "");
        if (base.length() > 80) {
            base = base.substring(0, 80);
        }
        int dot = location.lastIndexOf('.');
        String extension = dot < 0 ? "" : location.substring(dot).toLowerCase(Locale.ROOT);
        if (!extension.matches("\\.[a-z0-9]{1,5}")) {
            extension = "";
        }
        return (base.isEmpty() ? "recording" : base) + "-" + recording.toString().substring(0, 8) + extension;
    }
}
