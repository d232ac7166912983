package io.livestage.recording;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import javax.xml.parsers.DocumentBuilderFactory;

import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import io.livestage.events.Topics;
import io.livestage.testing.kafka.KafkaBroker;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.postgres.TestPostgres;
import io.livestage.testing.service.ServiceProcess;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

/**
 * Podcast channels and feeds as a black box: recording-service as a process on real Kafka and PostgreSQL; episodes
 * are inserted into its database with SQL (the rows the podcast library writes), profiles and spaces go through its
 * API, feeds are fetched anonymously.
 */
class FeedIT {
    private static final String PUBLIC_URL = "https://live.example";
    private static final String ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd";
    private static final String PODCAST = "https://podcastindex.org/namespace/1.0";

    private static ServiceProcess recording;
    private static Connection db;

    @BeforeAll
    static void start() throws Exception {
        for (String topic : List.of(Topics.SESSION, Topics.LIVEKIT, Topics.RECORDING)) {
            KafkaBroker.shared().createTopic(topic, Topics.PARTITIONS);
        }
        recording = ServiceProcess.start("recording-service", Map.of("LIVESTAGE_RECORDING_PUBLIC_URL", PUBLIC_URL));
        db = TestPostgres.shared().open(recording.database());
    }

    @AfterAll
    static void stop() throws Exception {
        if (db != null) {
            db.close();
        }
        if (recording != null) {
            recording.close();
        }
    }

    private static String user(String role) {
        return "feed-" + role + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static RequestSpecification api(String user) {
        return given().baseUri(recording.url()).auth().oauth2(TestTokens.token(user)).contentType(ContentType.JSON);
    }

    private static RequestSpecification anonymous() {
        return given().baseUri(recording.url());
    }

    /** A published or other episode of {@code host}, with the session and recording rows it references. */
    private static UUID episode(String host, String space, String status, String visibility, String title,
            long bytes, long durationMs, Instant publishedAt) throws SQLException {
        UUID session = UUID.randomUUID();
        UUID rec = UUID.randomUUID();
        UUID id = UUID.randomUUID();
        try (PreparedStatement s = db.prepareStatement("insert into recording_sessions (session_id, slug, title, "
                + "host_id, kind, visibility, status, recording_enabled, session_seq) values (?, ?, 'Recorded', ?, "
                + "'AUDIO', 'PUBLIC', 'ENDED', true, 1)")) {
            s.setObject(1, session);
            s.setString(2, session.toString().substring(0, 12));
            s.setString(3, host);
            s.executeUpdate();
        }
        try (PreparedStatement s = db.prepareStatement("insert into recordings (recording_id, session_id, trigger, "
                + "requested_at) values (?, ?, 'AUTO', now())")) {
            s.setObject(1, rec);
            s.setObject(2, session);
            s.executeUpdate();
        }
        try (PreparedStatement s = db.prepareStatement("insert into episodes (episode_id, recording_id, session_id, "
                + "host_id, space, status, title, description, visibility, media_format, media_location, media_bytes, "
                + "duration_ms, created_at, updated_at, published_at, recorded_from, recorded_to) values (?, ?, ?, ?, "
                + "?, ?, ?, ?, ?, 'MP3', ?, ?, ?, now(), now(), ?, now() - interval '1 hour', now())")) {
            s.setObject(1, id);
            s.setObject(2, rec);
            s.setObject(3, session);
            s.setString(4, host);
            s.setString(5, space);
            s.setString(6, status);
            s.setString(7, title);
            s.setString(8, "About " + title);
            s.setString(9, visibility);
            s.setString(10, "/out/" + session + "/" + rec + ".mp3");
            s.setLong(11, bytes);
            s.setLong(12, durationMs);
            s.setTimestamp(13, publishedAt == null ? null : Timestamp.from(publishedAt));
            s.executeUpdate();
        }
        return id;
    }

    private static void sql(String statement, Object... args) throws SQLException {
        try (PreparedStatement s = db.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }

    private static Element channelOf(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        return (Element) doc.getDocumentElement().getElementsByTagName("channel").item(0);
    }

    private static List<Element> items(Element channel) {
        NodeList nodes = channel.getElementsByTagName("item");
        List<Element> items = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            items.add((Element) nodes.item(i));
        }
        return items;
    }

    private static String text(Element parent, String ns, String name) {
        NodeList nodes = ns == null ? parent.getElementsByTagName(name) : parent.getElementsByTagNameNS(ns, name);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }

    private static ExtractableResponse<Response> feed(String path) {
        return anonymous().get(path).then().statusCode(200).extract();
    }

    private static void assertProblem(ValidatableResponse response, int status, String field) {
        response.statusCode(status).contentType("application/problem+json").body("status", equalTo(status));
        if (field != null) {
            response.body("field", equalTo(field));
        }
    }

    @Test
    void aHostsFeedListsItsPublishedPublicEpisodesNewestFirstWithItsProfile() throws Exception {
        String host = user("host");
        api(host).body(Map.of("title", "Live & Loud", "description", "Talks <b>live</b>", "language", "de-at",
                "category", "News", "subcategory", "Tech News", "explicit", true, "author", "Loud Host",
                "imageUrl", "https://img.example/loud.png", "type", "serial")).put("/api/me/podcast").then()
                .statusCode(200).body("saved", equalTo(true)).body("title", equalTo("Live & Loud"))
                .body("feedUrl", equalTo(PUBLIC_URL + "/podcast/feeds/hosts/" + host + ".xml"));
        UUID older = episode(host, null, "PUBLISHED", "PUBLIC", "Older", 1_000_000, 61_400,
                Instant.parse("2026-11-01T18:00:00Z"));
        UUID newer = episode(host, null, "PUBLISHED", "PUBLIC", "Newer", 2_000_000, 3_600_000,
                Instant.parse("2026-12-01T18:00:00Z"));
        episode(host, null, "DRAFT", "PUBLIC", "Draft", 1, 1, null);
        episode(host, null, "PUBLISHED", "UNLISTED", "Unlisted", 1, 1, Instant.parse("2026-12-02T18:00:00Z"));
        episode(host, null, "UNPUBLISHED", "PUBLIC", "Gone", 1, 1, Instant.parse("2026-12-03T18:00:00Z"));

        ExtractableResponse<Response> response = feed("/podcast/feeds/hosts/" + host + ".xml");

        assertThat(response.contentType()).isEqualToIgnoringWhitespace("application/rss+xml;charset=utf-8");
        assertThat(response.header("ETag")).matches("\"[A-Za-z0-9_-]{43}\"");
        assertThat(response.header("Last-Modified")).endsWith(" GMT");
        assertThat(response.header("Cache-Control")).isEqualTo("public, max-age=60");
        Element channel = channelOf(response.asByteArray());
        assertThat(text(channel, null, "title")).isEqualTo("Live & Loud");
        assertThat(text(channel, null, "language")).isEqualTo("de-at");
        assertThat(text(channel, ITUNES, "explicit")).isEqualTo("true");
        assertThat(text(channel, ITUNES, "type")).isEqualTo("serial");
        assertThat(((Element) channel.getElementsByTagNameNS(ITUNES, "category").item(0)).getAttribute("text"))
                .isEqualTo("News");
        assertThat(text(channel, PODCAST, "guid")).isEqualTo(api(host).get("/api/me/podcast").then().extract()
                .path("podcastGuid"));
        List<Element> items = items(channel);
        assertThat(items).extracting(item -> text(item, null, "guid")).containsExactly(newer.toString(),
                older.toString());
        Element enclosure = (Element) items.get(0).getElementsByTagName("enclosure").item(0);
        assertThat(enclosure.getAttribute("url")).isEqualTo(PUBLIC_URL + "/podcast/episodes/" + newer + ".mp3");
        assertThat(enclosure.getAttribute("length")).isEqualTo("2000000");
        assertThat(enclosure.getAttribute("type")).isEqualTo("audio/mpeg");
        assertThat(text(items.get(0), ITUNES, "duration")).isEqualTo("3600");
        assertThat(text(items.get(1), ITUNES, "duration")).isEqualTo("61");
        assertThat(text(items.get(0), null, "pubDate")).isEqualTo("Tue, 01 Dec 2026 18:00:00 GMT");
        assertThat(((Element) items.get(0).getElementsByTagNameNS(PODCAST, "transcript").item(0))
                .getAttribute("url")).isEqualTo(PUBLIC_URL + "/podcast/episodes/" + newer + "/transcript.vtt");
    }

    @Test
    void conditionalRequestsGet304UntilTheProfileOrAnEpisodeChanges() throws Exception {
        String host = user("cond");
        String path = "/podcast/feeds/hosts/" + host + ".xml";
        UUID first = episode(host, null, "PUBLISHED", "PUBLIC", "First", 10, 1000, Instant.now());
        ExtractableResponse<Response> initial = feed(path);
        String etag = initial.header("ETag");
        String lastModified = initial.header("Last-Modified");

        ExtractableResponse<Response> unchanged = anonymous().header("If-None-Match", etag).get(path).then()
                .statusCode(304).extract();
        assertThat(unchanged.header("ETag")).isEqualTo(etag);
        assertThat(unchanged.asByteArray()).isEmpty();
        anonymous().header("If-None-Match", "W/" + etag + ", \"other\"").get(path).then().statusCode(304);
        anonymous().header("If-Modified-Since", lastModified).get(path).then().statusCode(304);
        anonymous().header("If-None-Match", "\"stale\"").get(path).then().statusCode(200);
        ExtractableResponse<Response> head = anonymous().head(path).then().statusCode(200).extract();
        assertThat(head.header("ETag")).isEqualTo(etag);
        assertThat(head.asByteArray()).isEmpty();

        // a new published episode (the trigger bumps the host's feed version)
        UUID second = episode(host, null, "PUBLISHED", "PUBLIC", "Second", 20, 2000, Instant.now().plusSeconds(5));
        ExtractableResponse<Response> withSecond = anonymous().header("If-None-Match", etag).get(path).then()
                .statusCode(200).extract();
        assertThat(withSecond.header("ETag")).isNotEqualTo(etag);
        assertThat(items(channelOf(withSecond.asByteArray()))).extracting(item -> text(item, null, "guid"))
                .containsExactly(second.toString(), first.toString());

        // unpublishing removes the item
        sql("update episodes set status = 'UNPUBLISHED', updated_at = now() where episode_id = ?", second);
        ExtractableResponse<Response> afterUnpublish = anonymous().header("If-None-Match", withSecond.header("ETag"))
                .get(path).then().statusCode(200).extract();
        assertThat(items(channelOf(afterUnpublish.asByteArray()))).hasSize(1);

        // a profile change changes the feed
        api(host).body(Map.of("title", "Renamed")).put("/api/me/podcast").then().statusCode(200);
        ExtractableResponse<Response> renamed = anonymous().header("If-None-Match", afterUnpublish.header("ETag"))
                .get(path).then().statusCode(200).extract();
        assertThat(text(channelOf(renamed.asByteArray()), null, "title")).isEqualTo("Renamed");
        anonymous().header("If-None-Match", renamed.header("ETag")).get(path).then().statusCode(304);
    }

    @Test
    void aHostWithoutProfileGetsTheDefaultsAndUnknownFeedsAre404() throws Exception {
        String host = user("plain");
        api(host).get("/api/me/podcast").then().statusCode(200).body("saved", equalTo(false))
                .body("title", equalTo(host + "'s livestage podcast")).body("language", equalTo("en-us"))
                .body("category", equalTo("Technology")).body("type", equalTo("episodic"));
        assertProblem(anonymous().get("/podcast/feeds/hosts/" + host + ".xml").then(), 404, null);
        episode(host, null, "PUBLISHED", "PUBLIC", "Only", 5, 5000, Instant.now());
        Element channel = channelOf(feed("/podcast/feeds/hosts/" + host + ".xml").asByteArray());
        assertThat(text(channel, null, "title")).isEqualTo(host + "'s livestage podcast");
        assertThat(items(channel)).hasSize(1);

        assertProblem(anonymous().get("/podcast/feeds/spaces/no-such-space.xml").then(), 404, null);
        assertProblem(anonymous().get("/podcast/feeds/spaces/Not A Slug.xml").then(), 404, null);
        assertProblem(anonymous().get("/podcast/feeds/hosts/" + host + ".json").then(), 404, null);
        assertProblem(anonymous().get("/api/me/podcast").then(), 401, null);
    }

    @Test
    void spacesAreReadAndChangedByTheirOwnerOnlyAndListTheOwnersEpisodesPlacedInThem() throws Exception {
        String owner = user("owner");
        String other = user("other");
        String slug = "talks-" + UUID.randomUUID().toString().substring(0, 8);
        api(owner).body(Map.of("slug", slug, "title", "Friday Talks", "category", "Education")).post(
                "/api/podcast/spaces").then().statusCode(201).header("Location", endsWith("/api/podcast/spaces/" + slug))
                .body("space", equalTo(slug)).body("hostId", equalTo(owner))
                .body("feedUrl", equalTo(PUBLIC_URL + "/podcast/feeds/spaces/" + slug + ".xml"));
        assertProblem(api(other).body(Map.of("slug", slug)).post("/api/podcast/spaces").then(), 409, "slug");
        assertProblem(api(other).body(Map.of("slug", "No Slug")).post("/api/podcast/spaces").then(), 400, "slug");

        assertProblem(api(other).get("/api/podcast/spaces/" + slug).then(), 403, null);
        assertProblem(api(other).body(Map.of("title", "Hijacked")).put("/api/podcast/spaces/" + slug).then(), 403,
                null);
        assertProblem(api(owner).get("/api/podcast/spaces/unknown-space").then(), 404, null);
        api(owner).get("/api/podcast/spaces/" + slug).then().statusCode(200).body("title", equalTo("Friday Talks"));
        api(owner).body(Map.of("title", "Friday Talks Live", "category", "Education", "subcategory", "Courses"))
                .put("/api/podcast/spaces/" + slug).then().statusCode(200).body("title", equalTo("Friday Talks Live"))
                .body("subcategory", equalTo("Courses"));

        UUID inSpace = episode(owner, slug, "PUBLISHED", "PUBLIC", "In the space", 7, 7000, Instant.now());
        episode(owner, null, "PUBLISHED", "PUBLIC", "Host feed only", 8, 8000, Instant.now());
        episode(other, slug, "PUBLISHED", "PUBLIC", "Not the owner's", 9, 9000, Instant.now());

        Element space = channelOf(feed("/podcast/feeds/spaces/" + slug + ".xml").asByteArray());
        assertThat(text(space, null, "title")).isEqualTo("Friday Talks Live");
        assertThat(items(space)).extracting(item -> text(item, null, "guid")).containsExactly(inSpace.toString());
        assertThat(items(channelOf(feed("/podcast/feeds/hosts/" + owner + ".xml").asByteArray()))).hasSize(2);
    }

    @Test
    void badProfilesAreRefusedNamingTheFieldAndChangeNothing() {
        String host = user("bad");
        api(host).body(Map.of("title", "Kept")).put("/api/me/podcast").then().statusCode(200);
        assertProblem(api(host).body(Map.of("language", "english")).put("/api/me/podcast").then(), 400, "language");
        assertProblem(api(host).body(Map.of("category", "Cooking")).put("/api/me/podcast").then(), 400, "category");
        assertProblem(api(host).body(Map.of("category", "News", "subcategory", "Golf")).put("/api/me/podcast")
                .then(), 400, "subcategory");
        assertProblem(api(host).body(Map.of("imageUrl", "https://img.example/a.gif")).put("/api/me/podcast")
                .then(), 400, "imageUrl");
        assertProblem(api(host).body(Map.of("type", "weekly")).put("/api/me/podcast").then(), 400, "type");
        assertProblem(api(host).body(Map.of("explicit", "maybe")).put("/api/me/podcast").then(), 400, "explicit");
        assertProblem(api(host).body(Map.of("colour", "red")).put("/api/me/podcast").then(), 400, "colour");
        api(host).get("/api/me/podcast").then().statusCode(200).body("title", equalTo("Kept"))
                .body("language", equalTo("en-us"));
    }

    @Test
    void aFeedOfAThousandEpisodesIsRenderedOnceAndConditionalRequestsAreAnswered304() throws Exception {
        String host = user("big");
        UUID session = UUID.randomUUID();
        sql("insert into recording_sessions (session_id, slug, title, host_id, kind, visibility, status, "
                + "recording_enabled, session_seq) values (?, ?, 'Big', ?, 'AUDIO', 'PUBLIC', 'ENDED', true, 1)",
                session, session.toString().substring(0, 12), host);
        sql("""
                with recs as (
                    insert into recordings (recording_id, session_id, trigger, requested_at)
                    select gen_random_uuid(), ?, 'MANUAL', now() from generate_series(1, 1000)
                    returning recording_id, session_id)
                insert into episodes (episode_id, recording_id, session_id, host_id, status, title, description,
                    visibility, media_format, media_location, media_bytes, duration_ms, created_at, updated_at,
                    published_at, recorded_from, recorded_to)
                select gen_random_uuid(), recording_id, session_id, ?, 'PUBLISHED', 'Episode ' || row_number() over (),
                    'A long description of the episode', 'PUBLIC', 'MP3', '/out/x.mp3', 1000000, 1800000, now(),
                    now(), now() - (row_number() over ()) * interval '1 hour', now() - interval '1 hour', now()
                from recs""", session, host);
        String path = "/podcast/feeds/hosts/" + host + ".xml";
        ExtractableResponse<Response> full = feed(path);
        assertThat(items(channelOf(full.asByteArray()))).hasSize(1000);
        String etag = full.header("ETag");

        // Conditional GETs from 16 concurrent clients (java.net.http: RestAssured's own cost would dominate)
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest conditional = HttpRequest.newBuilder(URI.create(recording.url() + path))
                .header("If-None-Match", etag).build();
        int requests = 4000;
        Semaphore inFlight = new Semaphore(16);
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            inFlight.acquire();
            answers.add(client.sendAsync(conditional, HttpResponse.BodyHandlers.discarding())
                    .thenApply(HttpResponse::statusCode).whenComplete((status, error) -> inFlight.release()));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
        double perSecond = requests / ((System.nanoTime() - started) / 1e9);
        assertThat(answers).allSatisfy(answer -> assertThat(answer.join()).isEqualTo(304));
        System.out.printf("FeedIT: %d conditional GETs (16 concurrent) of a 1000-episode feed: %.0f/s%n", requests,
                perSecond);
        assertThat(feed(path).header("ETag")).as("the cached render is byte-identical").isEqualTo(etag);
    }
}
