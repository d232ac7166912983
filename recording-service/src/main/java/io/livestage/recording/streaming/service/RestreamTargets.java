package io.livestage.recording.streaming.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.streaming.model.RestreamTarget;
import io.livestage.recording.streaming.repository.TargetRepository;

/**
 * A host's saved restream targets: validated ({@link TargetValidation}), the key sealed with {@link SecretBox} before
 * it is stored (associated data: the target id), shown back only masked, and only to its owner (another user's target
 * is "not found"). A target keeps its key when an update gives none.
 */
@ApplicationScoped
public class RestreamTargets {
    private final TargetRepository targets;
    private final SecretBox secrets;

    public RestreamTargets(TargetRepository targets, SecretBox secrets) {
        this.targets = targets;
        this.secrets = secrets;
    }

    public Uni<RestreamTarget> create(String owner, String name, String kind, String serverUrl, String streamKey,
            boolean auto) {
        TargetValidation.Valid valid = TargetValidation.validate(name, kind, serverUrl, streamKey);
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        return targets.insert(id, owner, valid.name(), valid.kind(), valid.serverUrl(),
                secrets.seal(valid.streamKey(), context(id)), hint(valid.streamKey()), auto, now)
                .chain(() -> targets.find(id, owner));
    }

    public Uni<RestreamTarget> update(String owner, UUID id, String name, String kind, String serverUrl,
            String streamKey, boolean auto) {
        boolean keepKey = streamKey == null || streamKey.isEmpty();
        TargetValidation.Valid valid = TargetValidation.validate(name, kind, serverUrl, keepKey ? "kept" : streamKey);
        Instant now = Instant.now();
        return targets.update(id, owner, valid.name(), valid.kind(), valid.serverUrl(),
                keepKey ? null : secrets.seal(valid.streamKey(), context(id)),
                keepKey ? null : hint(valid.streamKey()), auto, now).chain(updated -> {
                    if (!updated) {
                        throw ProblemException.notFound("restream target " + id);
                    }
                    return targets.find(id, owner);
                });
    }

    public Uni<List<RestreamTarget>> list(String owner) {
        return targets.list(owner);
    }

    public Uni<RestreamTarget> get(String owner, UUID id) {
        return targets.find(id, owner).map(target -> {
            if (target == null) {
                throw ProblemException.notFound("restream target " + id);
            }
            return target;
        });
    }

    public Uni<Void> delete(String owner, UUID id) {
        return targets.delete(id, owner).map(deleted -> {
            if (!deleted) {
                throw ProblemException.notFound("restream target " + id);
            }
            return null;
        });
    }

    /** The associated data of a target's sealed key. */
    public static String context(UUID target) {
        return "target:" + target;
    }

    /** The last characters of a key shown to its owner (fewer for short keys, so most of it stays hidden). */
    static String hint(String key) {
        int shown = key.length() >= 12 ? 4 : key.length() >= 6 ? 2 : 0;
        return key.substring(key.length() - shown);
    }
}
