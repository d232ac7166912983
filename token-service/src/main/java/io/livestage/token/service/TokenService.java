package io.livestage.token.service;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonString;
import jakarta.ws.rs.ProcessingException;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.session.SessionStatus;
import io.livestage.events.session.SessionVisibility;
import io.livestage.platform.livekit.LiveKitConfig;
import io.livestage.platform.problem.ProblemException;
import io.livestage.platform.problem.ProblemType;
import io.livestage.token.config.TokenLiveKitConfig;
import io.livestage.token.livekit.LiveKitPermissions;
import io.livestage.token.livekit.ParticipantMetadata;
import io.livestage.token.livekit.TokenMinter;
import io.livestage.token.repository.TokenAuditLog;
import io.livestage.token.service.SessionServiceClient.SessionView;

/**
 * Issues LiveKit tokens whose grants follow the caller's current role, as session-service states it at this moment
 * (synchronous admission, docs/adr/0002): a removed user is refused by session-service, so no token is minted.
 */
@ApplicationScoped
public class TokenService {
    private static final char[] ANON_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final SessionServiceClient sessions;
    private final LiveKitConfig livekit;
    private final TokenLiveKitConfig tokens;
    private final TokenMinter minter;
    private final TokenAuditLog audit;
    private final SecureRandom random = new SecureRandom();

    public TokenService(@RestClient SessionServiceClient sessions, LiveKitConfig livekit, TokenLiveKitConfig tokens,
            TokenAuditLog audit) {
        this.sessions = sessions;
        this.livekit = livekit;
        this.tokens = tokens;
        this.audit = audit;
        this.minter = new TokenMinter(livekit.apiKey(), livekit.apiSecret());
    }

    public Uni<IssuedToken> issue(String sessionRef, String requestedName, SecurityIdentity identity,
            String authorization) {
        Uni<IssuedToken> issued;
        if (identity.isAnonymous()) {
            issued = anonymous(sessionRef, requestedName);
        } else {
            String name = requestedName != null ? requestedName : displayName(identity);
            issued = sessions.join(sessionRef, authorization, new SessionServiceClient.JoinBody(name))
                    .chain(joined -> issue(joined.session(), joined.participant().identity(), joined.participant().name(),
                            joined.participant().userId(), joined.participant().role()));
        }
        // session-service did not answer (its refusals are ProblemExceptions already): 503, saying whether it was too
        // slow (overloaded: the call's timeout, or no pooled connection in time) or could not be reached
        return issued.onFailure(e -> e instanceof ProcessingException || e instanceof FaultToleranceException
                || timedOut(e)).transform(e -> new ProblemException(
                ProblemType.UNAVAILABLE, timedOut(e)
                        ? "session-service did not answer in time (overloaded); retry shortly"
                        : "session-service is unreachable; retry shortly"));
    }

    /** A timeout anywhere in the cause chain: SmallRye's @Timeout, the client's read or its connection-pool wait. */
    static boolean timedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private Uni<IssuedToken> anonymous(String sessionRef, String requestedName) {
        Uni<SessionView> lookup = isUuid(sessionRef) ? sessions.byId(sessionRef) : sessions.bySlug(sessionRef);
        return lookup.chain(session -> {
            if (session.visibility() != SessionVisibility.PUBLIC) {
                throw new ProblemException(ProblemType.UNAUTHORIZED,
                        "Only PUBLIC sessions admit anonymous viewers; sign in to join this one");
            }
            if (session.status() == SessionStatus.ENDED || session.status() == SessionStatus.CANCELLED) {
                throw ProblemException.conflict("This session is " + session.status() + "; it can no longer be joined");
            }
            Instant now = Instant.now();
            if (session.status() == SessionStatus.SCHEDULED && session.scheduledAt() != null
                    && now.isBefore(session.scheduledAt().minus(15, ChronoUnit.MINUTES))) {
                throw ProblemException.conflict("This session opens 15 minutes before " + session.scheduledAt());
            }
            String identity = "anon-" + session.slug() + "-" + randomSuffix();
            String name = requestedName != null ? requestedName : "Listener " + identity.substring(identity.length() - 4);
            return issue(session, identity, name, null, ParticipantRole.VIEWER);
        });
    }

    private Uni<IssuedToken> issue(SessionView session, String identity, String name, String userId,
            ParticipantRole role) {
        Instant now = Instant.now();
        long ttl = tokens.tokenTtl().toSeconds();
        LiveKitPermissions.Rights rights = LiveKitPermissions.of(role, session.kind());
        String grants = TokenMinter.videoGrant(new StringBuilder(200), session.id(), rights).toString();
        String metadata = new ParticipantMetadata(role, session.id()).json();
        String token = minter.mint(identity, name, metadata, session.id(), rights, now, ttl);
        Instant expiresAt = Instant.ofEpochSecond(now.getEpochSecond() + ttl);

        // the audit leaves the request path: queued here, written in batches (TokenAuditLog)
        audit.record(new TokenAuditLog.Entry(UUID.fromString(session.id()), identity, userId, role.name(), grants, now,
                expiresAt));
        return Uni.createFrom().item(
                new IssuedToken(token, livekit.url(), session.id(), identity, name, role, grants, expiresAt));
    }

    private static String displayName(SecurityIdentity identity) {
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            for (String claim : new String[] { "name", "preferred_username" }) {
                Object value = jwt.getClaim(claim);
                if (value != null) {
                    return value instanceof JsonString s ? s.getString() : value.toString();
                }
            }
        }
        return identity.getPrincipal().getName();
    }

    private String randomSuffix() {
        char[] suffix = new char[10];
        for (int i = 0; i < suffix.length; i++) {
            suffix[i] = ANON_ALPHABET[random.nextInt(ANON_ALPHABET.length)];
        }
        return new String(suffix);
    }

    private static boolean isUuid(String ref) {
        try {
            UUID.fromString(ref);
            return ref.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
