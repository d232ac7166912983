package io.livestage.gateway.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every host-only action of session-service and chat-service (token-service has none: anyone may ask for a token,
 * the grants follow the role) × every kind of caller → the expected status, through the gateway with Keycloak
 * tokens; every cell asserted, every refusal a problem+json.
 * <p>
 * The rules (session-service and chat-service READMEs, issue 3): the host does everything except remove or demote
 * themselves, or moderate their own chat standing; cohosts run the stage (approve, reject, promote, demote, mute,
 * ask to unmute, remove) and moderate the chat, but cannot end, start, cancel, delete or edit the session, manage
 * invites, or act on the host (nor, in the chat, on another cohost); guests on stage and viewers moderate nothing;
 * anonymous callers are refused (401); the host of another session is a stranger here (403; the sessions are
 * PUBLIC, so not 404).
 * <p>
 * Cells do not spoil each other: within a row the callers expected to be refused go first, and a cell that succeeds
 * has used up what it acted on, so the next cell gets a fresh one (a new target, message, invitee or banned user, or
 * for start/end/cancel/delete a new session); a refused cell leaves it for the next, which would then see a
 * refusal that changed something as a wrong status of its own. Each row acting on participants has its own session.
 */
class AuthorizationMatrixIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** The callers, in the order of the expected statuses in each row. */
    enum Caller {
        HOST("host"), COHOST("cohost"), GUEST("guest on stage"), VIEWER("viewer"), ANONYMOUS("anonymous"),
        OTHER_HOST("host of another session");

        final String label;

        Caller(String label) {
            this.label = label;
        }
    }

    private static LiveStack stack;
    private static LiveStack.User host;
    private static Map<Caller, LiveStack.User> users;
    /** A session whose rows' actions leave it usable: reads, idempotent changes, actions on fresh strings or messages. */
    private static Stage shared;
    private static RoomSocket hostSocket;
    private static RoomSocket viewerSocket;

    /** A session with a host, a cohost, a guest on stage and a viewer, all joined through the gateway. */
    record Stage(String id) {
        String path(String rest) {
            return "/api/sessions/" + id + rest;
        }
    }

    /** What one cell acts on: the session and, per row, a target (identity, request id, message id, user id). */
    record Scene(Stage stage, String target) {
    }

    /** Makes the scene of a cell; {@code row} gives the row's own session and fresh target users. */
    @FunctionalInterface
    interface Prepare {
        Scene prepare(RowState row);
    }

    @FunctionalInterface
    interface Call {
        Response call(RequestSpecification request, Scene scene);
    }

    /** A check of the body of a 2xx answer, for rows whose difference between callers is what they see. */
    @FunctionalInterface
    interface BodyCheck {
        String problem(Caller caller, Scene scene, Response response);
    }

    record Row(String action, Prepare prepare, Call call, Map<Caller, Integer> expected, BodyCheck check) {
    }

    /** Per row: its own live session (made on first use) and a counter of target users. */
    static final class RowState {
        private Stage stage;
        private int targets;

        Stage stage() {
            if (stage == null) {
                stage = newStage(true);
            }
            return stage;
        }

        LiveStack.User nextTarget() {
            return stack.user("target-" + ++targets);
        }
    }

    @BeforeAll
    static void stage() {
        stack = LiveStack.shared();
        long t0 = System.nanoTime();
        // the demo users where they will do (their accounts exist already), users of this run for the rest
        List<LiveStack.User> people = stack.users("demo:alice", "demo:bob", "demo:carol", "viewer", "other-host",
                "target-1", "target-2");
        System.out.printf("Authorization matrix: 7 users signed in in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        host = people.get(0);
        users = new EnumMap<>(Caller.class);
        users.put(Caller.HOST, host);
        users.put(Caller.COHOST, people.get(1));
        users.put(Caller.GUEST, people.get(2));
        users.put(Caller.VIEWER, people.get(3));
        users.put(Caller.OTHER_HOST, people.get(4));
        // the other host hosts a live session of their own
        String other = stack.as(users.get(Caller.OTHER_HOST)).body(Map.of("title", "Elsewhere", "kind", "AUDIO"))
                .post("/api/sessions").then().statusCode(201).extract().path("id");
        stack.as(users.get(Caller.OTHER_HOST)).post("/api/sessions/" + other + "/start").then().statusCode(200);

        // the shared session also has a second cohost and a hand up (the rows' targets are made elsewhere)
        shared = newStage(true, secondCohost());
        join(shared, host); // a participant too, for the rows that act on the host
        join(shared, stack.user("target-1"));
        stack.as(stack.user("target-1")).post(shared.path("/stage-requests")).then().statusCode(200);
        // chat-service learns roles from Kafka: the cohost, promoted last, moderating there means the rest arrived too
        await().atMost(WAIT).untilAsserted(() -> stack.as(users.get(Caller.COHOST)).get(shared.path("/chat/settings"))
                .then().statusCode(200));
        hostSocket = RoomSocket.open(stack, shared.id(), host);
        viewerSocket = RoomSocket.open(stack, shared.id(), users.get(Caller.VIEWER));
        System.out.printf("Authorization matrix: users signed in and the shared session set up in %.1f s%n",
                (System.nanoTime() - t0) / 1e9);
    }

    /** The shared session's other cohost (a row's target elsewhere, in other sessions). */
    private static LiveStack.User secondCohost() {
        return stack.user("target-2");
    }

    @AfterAll
    static void closeSockets() {
        if (hostSocket != null) {
            hostSocket.close();
        }
        if (viewerSocket != null) {
            viewerSocket.close();
        }
    }

    static Stage newStage(boolean live) {
        return newStage(live, null);
    }

    /**
     * Host alice creates a PUBLIC AUDIO session (started when {@code live}); the viewer joins; the guest joins and is
     * brought on stage; the cohost joins and is promoted last ({@code secondCohost} just before).
     */
    static Stage newStage(boolean live, LiveStack.User secondCohost) {
        String id = stack.as(host).body(Map.of("title", "Matrix", "kind", "AUDIO", "visibility", "PUBLIC"))
                .post("/api/sessions").then().statusCode(201).extract().path("id");
        Stage stage = new Stage(id);
        if (live) {
            stack.as(host).post(stage.path("/start")).then().statusCode(200);
        }
        join(stage, users.get(Caller.VIEWER));
        join(stage, users.get(Caller.GUEST));
        role(stage, users.get(Caller.GUEST), "GUEST");
        if (secondCohost != null) {
            join(stage, secondCohost);
            role(stage, secondCohost, "COHOST");
        }
        join(stage, users.get(Caller.COHOST));
        role(stage, users.get(Caller.COHOST), "COHOST");
        return stage;
    }

    static void join(Stage stage, LiveStack.User user) {
        stack.as(user).body(Map.of("name", user.name())).post(stage.path("/join")).then().statusCode(200);
    }

    static void role(Stage stage, LiveStack.User user, String role) {
        stack.as(host).body(Map.of("role", role)).post(stage.path("/participants/" + user.id() + "/role")).then()
                .statusCode(200);
    }

    // how each row gets the scene of a cell

    private static final Prepare SHARED = row -> new Scene(shared, null);

    private static Prepare sharedWith(Supplier<String> target) {
        return row -> new Scene(shared, target.get());
    }

    /** A session of its own for the cell: live, or still SCHEDULED. */
    private static Prepare freshSession(boolean live) {
        return row -> new Scene(newStage(live), null);
    }

    /** A new user of the row's session, made ready by {@code setup} (which returns the cell's target). */
    private static Prepare targetUser(BiFunction<Stage, LiveStack.User, String> setup) {
        return row -> {
            Stage stage = row.stage();
            return new Scene(stage, setup.apply(stage, row.nextTarget()));
        };
    }

    private static String joined(Stage stage, LiveStack.User target) {
        join(stage, target);
        return target.id();
    }

    private static String handRaised(Stage stage, LiveStack.User target) {
        join(stage, target);
        return stack.as(target).post(stage.path("/stage-requests")).then().statusCode(200).extract().path("id");
    }

    private static BiFunction<Stage, LiveStack.User, String> withRole(String role) {
        return (stage, target) -> {
            join(stage, target);
            role(stage, target, role);
            return target.id();
        };
    }

    private static String messageBy(RoomSocket socket) {
        return socket.chat(LiveStack.unique("m"), "a message for the matrix").path("id").asText();
    }

    private static String bannedUser() {
        String user = LiveStack.unique("banned");
        stack.as(host).body(Map.of("userId", user)).post(shared.path("/chat/bans")).then().statusCode(200);
        return user;
    }

    private static String invitedUser() {
        String user = LiveStack.unique("invitee");
        stack.as(host).put(shared.path("/invites/" + user)).then().statusCode(200);
        return user;
    }

    private static int serial = 0;

    private static Map<Caller, Integer> expect(int host, int cohost, int guest, int viewer, int anonymous, int otherHost) {
        Map<Caller, Integer> m = new EnumMap<>(Caller.class);
        m.put(Caller.HOST, host);
        m.put(Caller.COHOST, cohost);
        m.put(Caller.GUEST, guest);
        m.put(Caller.VIEWER, viewer);
        m.put(Caller.ANONYMOUS, anonymous);
        m.put(Caller.OTHER_HOST, otherHost);
        return m;
    }

    private static Row row(String action, Prepare prepare, Call call, Map<Caller, Integer> expected) {
        return new Row(action, prepare, call, expected, null);
    }

    /** Everyone signed in may read the queue; only the host and cohosts see the other people's hands in it. */
    private static final BodyCheck WHOLE_QUEUE_FOR_MODERATORS = (caller, scene, response) -> {
        int items = response.jsonPath().getList("items").size();
        boolean moderator = caller == Caller.HOST || caller == Caller.COHOST;
        if (moderator && items == 0) {
            return "a moderator should see the waiting hand, saw " + response.asString();
        }
        if (!moderator && items != 0) {
            return "only moderators see the queue, but " + caller.label + " saw " + response.asString();
        }
        return null;
    };

    /** The table: one row per action, the expected status per caller in {@link Caller} order. */
    static List<Row> matrix() {
        return List.of(
                // session-service: the session itself (host only)
                row("PATCH /api/sessions/{id} (title, settings)", SHARED,
                        (r, s) -> r.body(Map.of("title", "Renamed " + ++serial, "settings", Map.of("enableReactions", true)))
                                .patch(s.stage().path("")),
                        expect(200, 403, 403, 403, 401, 403)),
                row("POST /api/sessions/{id}/start", freshSession(false), (r, s) -> r.post(s.stage().path("/start")),
                        expect(200, 403, 403, 403, 401, 403)),
                row("POST /api/sessions/{id}/end", freshSession(true), (r, s) -> r.post(s.stage().path("/end")),
                        expect(200, 403, 403, 403, 401, 403)),
                row("POST /api/sessions/{id}/cancel", freshSession(false), (r, s) -> r.post(s.stage().path("/cancel")),
                        expect(200, 403, 403, 403, 401, 403)),
                row("DELETE /api/sessions/{id} (not live)", freshSession(false), (r, s) -> r.delete(s.stage().path("")),
                        expect(204, 403, 403, 403, 401, 403)),
                row("GET /api/sessions/{id}/invites", SHARED, (r, s) -> r.get(s.stage().path("/invites")),
                        expect(200, 403, 403, 403, 401, 403)),
                row("PUT /api/sessions/{id}/invites/{userId}", sharedWith(() -> LiveStack.unique("invitee")),
                        (r, s) -> r.put(s.stage().path("/invites/" + s.target())),
                        expect(200, 403, 403, 403, 401, 403)),
                row("DELETE /api/sessions/{id}/invites/{userId}", sharedWith(AuthorizationMatrixIT::invitedUser),
                        (r, s) -> r.delete(s.stage().path("/invites/" + s.target())),
                        expect(204, 403, 403, 403, 401, 403)),
                // session-service: the stage (host and cohosts)
                new Row("GET /api/sessions/{id}/stage-requests (the whole queue)", SHARED,
                        (r, s) -> r.get(s.stage().path("/stage-requests")),
                        expect(200, 200, 200, 200, 401, 200), WHOLE_QUEUE_FOR_MODERATORS),
                row("POST /api/sessions/{id}/stage-requests/{requestId}/approve", targetUser(AuthorizationMatrixIT::handRaised),
                        (r, s) -> r.post(s.stage().path("/stage-requests/" + s.target() + "/approve")),
                        expect(200, 200, 403, 403, 401, 403)),
                row("POST /api/sessions/{id}/stage-requests/{requestId}/reject", targetUser(AuthorizationMatrixIT::handRaised),
                        (r, s) -> r.post(s.stage().path("/stage-requests/" + s.target() + "/reject")),
                        expect(200, 200, 403, 403, 401, 403)),
                row("POST /api/sessions/{id}/participants/{viewer}/role COHOST (promote)",
                        targetUser(AuthorizationMatrixIT::joined),
                        (r, s) -> r.body(Map.of("role", "COHOST")).post(s.stage().path("/participants/" + s.target() + "/role")),
                        expect(200, 200, 403, 403, 401, 403)),
                row("POST /api/sessions/{id}/participants/{viewer}/role GUEST (bring on stage)",
                        targetUser(AuthorizationMatrixIT::joined),
                        (r, s) -> r.body(Map.of("role", "GUEST")).post(s.stage().path("/participants/" + s.target() + "/role")),
                        expect(200, 200, 403, 403, 401, 403)),
                row("POST /api/sessions/{id}/participants/{cohost}/role VIEWER (demote)", targetUser(withRole("COHOST")),
                        (r, s) -> r.body(Map.of("role", "VIEWER")).post(s.stage().path("/participants/" + s.target() + "/role")),
                        expect(200, 200, 403, 403, 401, 403)),
                row("POST /api/sessions/{id}/participants/{guest}/mute", targetUser(withRole("GUEST")),
                        (r, s) -> r.body(Map.of("audio", true)).post(s.stage().path("/participants/" + s.target() + "/mute")),
                        expect(200, 200, 403, 403, 401, 403)),
                row("POST /api/sessions/{id}/participants/{guest}/unmute-request", targetUser(withRole("GUEST")),
                        (r, s) -> r.body(Map.of("audio", true))
                                .post(s.stage().path("/participants/" + s.target() + "/unmute-request")),
                        expect(200, 200, 403, 403, 401, 403)),
                row("DELETE /api/sessions/{id}/participants/{viewer} (remove)", targetUser(AuthorizationMatrixIT::joined),
                        (r, s) -> r.delete(s.stage().path("/participants/" + s.target())),
                        expect(200, 200, 403, 403, 401, 403)),
                row("DELETE /api/sessions/{id}/participants/{host} (remove the host)", SHARED,
                        (r, s) -> r.delete(s.stage().path("/participants/" + host.id())),
                        expect(403, 403, 403, 403, 401, 403)),
                row("POST /api/sessions/{id}/participants/{host}/role VIEWER (demote the host)", SHARED,
                        (r, s) -> r.body(Map.of("role", "VIEWER")).post(s.stage().path("/participants/" + host.id() + "/role")),
                        expect(403, 403, 403, 403, 401, 403)),
                // chat-service: moderation (host and cohosts; a cohost not on the host or another cohost)
                row("DELETE /api/sessions/{id}/chat/messages/{a viewer's message}", sharedWith(() -> messageBy(viewerSocket)),
                        (r, s) -> r.delete(s.stage().path("/chat/messages/" + s.target())),
                        expect(204, 204, 403, 403, 401, 403)),
                row("DELETE /api/sessions/{id}/chat/messages/{the host's message}", sharedWith(() -> messageBy(hostSocket)),
                        (r, s) -> r.delete(s.stage().path("/chat/messages/" + s.target())),
                        expect(204, 403, 403, 403, 401, 403)),
                row("POST /api/sessions/{id}/chat/timeouts {a viewer}", sharedWith(() -> LiveStack.unique("chatter")),
                        (r, s) -> r.body(Map.of("userId", s.target(), "durationSeconds", 60)).post(s.stage().path("/chat/timeouts")),
                        expect(200, 200, 403, 403, 401, 403)),
                row("POST /api/sessions/{id}/chat/timeouts {the host}", SHARED,
                        (r, s) -> r.body(Map.of("userId", host.id(), "durationSeconds", 60)).post(s.stage().path("/chat/timeouts")),
                        expect(400, 403, 403, 403, 401, 403)),
                row("POST /api/sessions/{id}/chat/bans {a viewer}", sharedWith(() -> LiveStack.unique("chatter")),
                        (r, s) -> r.body(Map.of("userId", s.target())).post(s.stage().path("/chat/bans")),
                        expect(200, 200, 403, 403, 401, 403)),
                row("POST /api/sessions/{id}/chat/bans {another cohost}", SHARED,
                        (r, s) -> r.body(Map.of("userId", secondCohost().id())).post(s.stage().path("/chat/bans")),
                        expect(200, 403, 403, 403, 401, 403)),
                row("DELETE /api/sessions/{id}/chat/bans/{userId}", sharedWith(AuthorizationMatrixIT::bannedUser),
                        (r, s) -> r.delete(s.stage().path("/chat/bans/" + s.target())),
                        expect(204, 204, 403, 403, 401, 403)),
                row("GET /api/sessions/{id}/chat/bans", SHARED, (r, s) -> r.get(s.stage().path("/chat/bans")),
                        expect(200, 200, 403, 403, 401, 403)),
                row("GET /api/sessions/{id}/chat/settings", SHARED, (r, s) -> r.get(s.stage().path("/chat/settings")),
                        expect(200, 200, 403, 403, 401, 403)),
                row("PATCH /api/sessions/{id}/chat/settings", SHARED,
                        (r, s) -> r.body(Map.of("blockedTerms", List.of("zzmatrix" + ++serial))).patch(s.stage().path("/chat/settings")),
                        expect(200, 200, 403, 403, 401, 403)),
                row("GET /api/sessions/{id}/chat/moderation", SHARED, (r, s) -> r.get(s.stage().path("/chat/moderation")),
                        expect(200, 200, 403, 403, 401, 403)));
    }

    /**
     * The callers expected to be refused first, then those expected to succeed: the refused leave the scene as it was,
     * so a row needs a fresh target only for each success.
     */
    private static List<Caller> executionOrder(Row row) {
        List<Caller> order = new ArrayList<>();
        for (boolean success : new boolean[] { false, true }) {
            for (Caller caller : Caller.values()) {
                int expected = row.expected().get(caller);
                if ((expected >= 200 && expected < 300) == success) {
                    order.add(caller);
                }
            }
        }
        return order;
    }

    private static RequestSpecification as(Caller caller) {
        return caller == Caller.ANONYMOUS ? stack.edge().contentType(ContentType.JSON) : stack.as(users.get(caller));
    }

    @Test
    void everyHostOnlyActionAgainstEveryKindOfCaller() {
        List<Row> rows = matrix();
        List<String> failures = new ArrayList<>();
        StringBuilder table = new StringBuilder(String.format("%-78s", "action \\ caller"));
        for (Caller caller : Caller.values()) {
            table.append(String.format(" | %-11s", caller.label.length() > 11 ? caller.label.substring(0, 11) : caller.label));
        }
        table.append(" | time\n");
        int cells = 0;
        long t0 = System.nanoTime();
        for (Row row : rows) {
            long rowStart = System.nanoTime();
            RowState state = new RowState();
            Scene scene = null;
            table.append(String.format("%-78s", row.action()));
            Map<Caller, String> shown = new EnumMap<>(Caller.class);
            for (Caller caller : executionOrder(row)) {
                if (scene == null) {
                    scene = row.prepare().prepare(state);
                }
                Response response = row.call().call(as(caller), scene);
                int expected = row.expected().get(caller);
                int status = response.statusCode();
                String where = row.action() + " × " + caller.label;
                cells++;
                if (status != expected) {
                    failures.add(where + ": expected " + expected + ", got " + status + " " + response.asString());
                } else if (status >= 400) {
                    String problem = Problems.violation(response);
                    if (problem != null) {
                        failures.add(where + ": " + problem);
                    }
                } else if (row.check() != null) {
                    String problem = row.check().problem(caller, scene, response);
                    if (problem != null) {
                        failures.add(where + ": " + problem);
                    }
                }
                shown.put(caller, status == expected ? Integer.toString(status) : status + "≠" + expected);
                if (status >= 200 && status < 300) {
                    scene = null; // it used up its target (or session): the next cell gets a fresh one
                }
            }
            for (Caller caller : Caller.values()) {
                table.append(String.format(" | %-11s", shown.get(caller)));
            }
            table.append(String.format(" | %5.0f ms%n", (System.nanoTime() - rowStart) / 1e6));
        }
        System.out.printf("Authorization matrix through the gateway (%d cells in %.1f s):%n%s", cells,
                (System.nanoTime() - t0) / 1e9, table);
        assertThat(cells).isEqualTo(rows.size() * Caller.values().length);
        assertThat(failures).as("cells that differ (action × caller):\n" + String.join("\n", failures)
                + "\n\n" + table).isEmpty();
    }
}
