package io.livestage.token.service;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonString;
import jakarta.ws.rs.ProcessingException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
import io.livestage.token.admission.Admission;
import io.livestage.token.config.TokenLiveKitConfig;
import io.livestage.token.livekit.LiveKitPermissions;
import io.livestage.token.livekit.ParticipantMetadata;
import io.livestage.token.livekit.TokenMinter;
import io.livestage.token.repository.TokenAuditLog;
import io.livestage.token.service.SessionServiceClient.SessionView;

/**
 * Issues LiveKit tokens whose grants follow the caller's role, admitted from token-service's own projection of
 * {@code livestage.session} (docs/adr/0019): one indexed read, no call to session-service and no write on the
 * request path. A removed user is refused once the removal is projected (the bound is the projection's lag,
 * {@code livestage.admission.lag}); one who got in before is removed by LiveKit on joining
 * ({@link io.livestage.token.webhook.LiveKitWebhookResource}). Two cases still go to session-service: a session the
 * projection has not seen yet (its host asks right after creating it), and a newcomer to a PRIVATE session (the
 * invites are session-service's) — there the synchronous join of docs/adr/0002 decides and registers the caller.
 */
@ApplicationScoped
public class TokenService {
    private static final char[] ANON_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final SessionServiceClient sessions;
    private final LiveKitConfig livekit;
    private final TokenLiveKitConfig tokens;
    private final TokenMinter minter;
    private final TokenAuditLog audit;
    private final Admission admission;
    private final Counter fallbacks;
    private final SecureRandom random = new SecureRandom();

    public TokenService(@RestClient SessionServiceClient sessions, LiveKitConfig livekit, TokenLiveKitConfig tokens,
            TokenAuditLog audit, Admission admission, MeterRegistry registry) {
        this.sessions = sessions;
        this.admission = admission;
        this.fallbacks = Counter.builder("livestage.admission.fallbacks")
                .description("Token requests the projection could not answer, decided by session-service instead")
                .register(registry);
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
            String userId = identity.getPrincipal().getName();
            issued = admission.find(sessionRef, userId).chain(known -> known == null
                    || (known.role() == null && known.visibility() == SessionVisibility.PRIVATE && !known.hostedBy(userId))
                            ? joinAtSessionService(sessionRef, name, authorization)
                            : admitted(known, userId, name));
        }
        // session-service did not answer (its refusals are ProblemExceptions already): 503, saying whether it was too
        // slow (overloaded: the call's timeout, or no pooled connection in time) or could not be reached
        return issued.onFailure(e -> e instanceof ProcessingException || e instanceof FaultToleranceException
                || timedOut(e)).transform(e -> new ProblemException(
                ProblemType.UNAVAILABLE, timedOut(e)
                        ? "session-service did not answer in time (overloaded); retry shortly"
                        : "session-service is unreachable; retry shortly"));
    }

    private Uni<IssuedToken> joinAtSessionService(String sessionRef, String name, String authorization) {
        fallbacks.increment();
        return sessions.join(sessionRef, authorization, new SessionServiceClient.JoinBody(name))
                .chain(joined -> issue(joined.session(), joined.participant().identity(), joined.participant().name(),
                        joined.participant().userId(), joined.participant().role()));
    }

    /** The projection's answer for a signed-in caller: the same refusals as session-service's join, then the role. */
    private Uni<IssuedToken> admitted(Admission.Known known, String userId, String name) {
        if (known.removed()) {
            throw ProblemException.forbidden("You were removed from this session and cannot rejoin it");
        }
        checkJoinable(known.status(), known.scheduledAt());
        ParticipantRole role = known.hostedBy(userId) ? ParticipantRole.HOST
                : known.role() != null ? known.role() : ParticipantRole.VIEWER;
        return issue(new SessionView(known.id(), known.slug(), null, known.kind(), known.visibility(), known.status(),
                known.scheduledAt()), userId, name, userId, role);
    }

    private static void checkJoinable(SessionStatus status, Instant scheduledAt) {
        if (status == SessionStatus.ENDED || status == SessionStatus.CANCELLED) {
            throw ProblemException.conflict("This session is " + status + "; it can no longer be joined");
        }
        if (status == SessionStatus.SCHEDULED && scheduledAt != null
                && Instant.now().isBefore(scheduledAt.minus(15, ChronoUnit.MINUTES))) {
            throw ProblemException.conflict("This session opens at " + scheduledAt.minus(15, ChronoUnit.MINUTES)
                    + " (15 minutes before it starts)");
        }
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

    /** Anonymous viewers: from the projection, else a plain read at session-service (no lock, no write). */
    private Uni<IssuedToken> anonymous(String sessionRef, String requestedName) {
        Uni<SessionView> lookup = admission.find(sessionRef, null).chain(known -> {
            if (known != null) {
                return Uni.createFrom().item(new SessionView(known.id(), known.slug(), null, known.kind(),
                        known.visibility(), known.status(), known.scheduledAt()));
            }
            fallbacks.increment();
            return Admission.uuid(sessionRef) != null ? sessions.byId(sessionRef) : sessions.bySlug(sessionRef);
        });
        return lookup.chain(session -> {
            if (session.visibility() != SessionVisibility.PUBLIC) {
                throw new ProblemException(ProblemType.UNAUTHORIZED,
                        "Only PUBLIC sessions admit anonymous viewers; sign in to join this one");
            }
            checkJoinable(session.status(), session.scheduledAt());
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
}
