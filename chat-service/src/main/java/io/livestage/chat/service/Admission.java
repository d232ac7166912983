package io.livestage.chat.service;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import io.livestage.chat.config.ChatConfig;
import io.livestage.chat.repository.ChatRepository;
import io.livestage.chat.repository.ChatRepository.MemberRow;
import io.livestage.chat.repository.ChatRepository.RoomRow;

/**
 * Who may read a session's chat (socket and history): PUBLIC — anyone, anonymous read-only unless the room is
 * signed-in-only; UNLISTED — any signed-in user with the id; PRIVATE — the host and users session-service admitted
 * (they joined, which checked their invitation). Removed participants, cancelled/deleted and unknown sessions never.
 * The session and participant views come from session-service's events; a view the projection has not written yet is
 * waited for briefly ({@code livestage.chat.admission-wait}), since a client often connects right after creating or
 * joining.
 */
@ApplicationScoped
public class Admission {
    private static final Duration POLL = Duration.ofMillis(100);
    private final ChatRepository repository;
    private final ChatConfig config;

    public Admission(ChatRepository repository, ChatConfig config) {
        this.repository = repository;
        this.config = config;
    }

    /** The decision: admitted with its rows, or refused with a close code, an error code and a message. */
    public record Decision(RoomRow room, MemberRow member, String role, int closeCode, String code, String message) {
        public boolean admitted() {
            return closeCode == 0;
        }

        /** Admitted to an ENDED session: its history can be read, its room channel only says it ended. */
        public boolean ended() {
            return admitted() && "ENDED".equals(room.session().status());
        }

        static Decision refuse(int closeCode, String code, String message) {
            return new Decision(null, null, null, closeCode, code, message);
        }
    }

    /** For a socket: waits briefly for views the projection may not have written yet. */
    public Uni<Decision> decide(UUID session, Caller caller) {
        return decide(session, caller, config.admissionWait());
    }

    /** For a REST read: answers from what is stored now. */
    public Uni<Decision> decideNow(UUID session, Caller caller) {
        return decide(session, caller, Duration.ZERO);
    }

    private Uni<Decision> decide(UUID session, Caller caller, Duration patience) {
        return waitFor(() -> repository.room(session), patience).flatMap(room -> {
            if (room == null || room.session().isGone()) {
                return Uni.createFrom().item(Decision.refuse(4404, "not_found", "no such session"));
            }
            if (caller.anonymous()) {
                if (!room.session().isPublic()) {
                    return Uni.createFrom().item(Decision.refuse(4401, "sign_in_required",
                            "sign in to join this session's chat"));
                }
                if (room.settings().signedInOnly()) {
                    return Uni.createFrom().item(Decision.refuse(4401, "signed_in_only",
                            "this chat is for signed-in users only"));
                }
                return Uni.createFrom().item(new Decision(room, null, "VIEWER", 0, null, null));
            }
            boolean host = caller.userId().equals(room.session().hostId());
            Duration wait = room.session().isPrivate() && !host ? patience : Duration.ZERO;
            return waitFor(() -> repository.member(session, caller.userId()), wait).map(member -> {
                if (member != null && member.view().removed()) {
                    return Decision.refuse(4403, "removed", "you were removed from this session");
                }
                if (room.session().isPrivate() && !host && member == null) {
                    return Decision.refuse(4403, "forbidden", "this session is private; join it first");
                }
                String role = host ? "HOST" : member == null ? "VIEWER" : member.view().role();
                return new Decision(room, member, role, 0, null, null);
            });
        });
    }

    /** Reads until the result is non-null or {@code wait} has passed. */
    private static <T> Uni<T> waitFor(Supplier<Uni<T>> read, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        return read.get().flatMap(found -> found != null || System.nanoTime() >= deadline
                ? Uni.createFrom().item(found)
                : Uni.createFrom().nullItem().onItem().delayIt().by(POLL)
                        .flatMap(ignored -> waitFor(read, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))));
    }
}
