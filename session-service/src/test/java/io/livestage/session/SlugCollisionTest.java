package io.livestage.session;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import io.livestage.session.service.SlugGenerator;

import static io.livestage.session.Api.audioRoom;
import static io.livestage.session.Api.create;
import static io.livestage.session.Api.newUser;
import static org.hamcrest.Matchers.equalTo;

/** Slug uniqueness is enforced by the database; a collision retries with a fresh slug and the create succeeds. */
@QuarkusTest
@TestProfile(SlugCollisionTest.Scripted.class)
class SlugCollisionTest {

    public static class Scripted implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(ScriptedSlugs.class);
        }
    }

    /** Hands out scripted slugs first, random ones after. */
    @Alternative
    @Priority(1)
    @ApplicationScoped
    public static class ScriptedSlugs extends SlugGenerator {
        static final Deque<String> SCRIPT = new ArrayDeque<>();

        @Override
        public String next() {
            synchronized (SCRIPT) {
                return SCRIPT.isEmpty() ? super.next() : SCRIPT.poll();
            }
        }
    }

    @Test
    void aTakenSlugIsRetriedWithAFreshOne() {
        String host = newUser("host");
        synchronized (ScriptedSlugs.SCRIPT) {
            ScriptedSlugs.SCRIPT.add("taken001");
        }
        create(host, audioRoom("First")).then().statusCode(201).body("slug", equalTo("taken001"));
        synchronized (ScriptedSlugs.SCRIPT) {
            ScriptedSlugs.SCRIPT.addAll(List.of("taken001", "taken001", "fresh001"));
        }
        create(host, audioRoom("Second")).then().statusCode(201).body("slug", equalTo("fresh001"));
        Api.anonymous().get("/api/sessions/by-slug/taken001").then().statusCode(200).body("title", equalTo("First"));
    }
}
