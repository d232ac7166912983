package io.livestage.gateway.route;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RouteTableTest {

    private static String service(String path) {
        return RouteTable.route(path).map(RouteTable.Route::service).orElse(null);
    }

    @Test
    void pathsGoToTheServiceThatOwnsThem() {
        assertThat(service("/ws/sessions/0b6f5d3e-8f7a-4c59-9a61-3c1d2b7e4f00")).isEqualTo("chat-service");
        assertThat(service("/api/sessions/0b6f5d3e-8f7a-4c59-9a61-3c1d2b7e4f00/chat")).isEqualTo("chat-service");
        assertThat(service("/api/sessions/abc/chat/bans/u1")).isEqualTo("chat-service");
        assertThat(service("/api/tokens")).isEqualTo("token-service");
        assertThat(service("/webhooks/livekit")).isEqualTo("token-service");
        assertThat(service("/api/sessions")).isEqualTo("session-service");
        assertThat(service("/api/sessions/abc/stage-requests")).isEqualTo("session-service");
        assertThat(service("/api/sessions/abc/chatter")).as("not the chat route").isEqualTo("session-service");
        assertThat(service("/ws/sessions/abc/transcription")).isEqualTo("transcription-service");
        assertThat(service("/api/sessions/abc/transcript")).isEqualTo("transcription-service");
        assertThat(service("/api/sessions/abc/transcripts")).as("not the transcript route").isEqualTo("session-service");
        assertThat(service("/api/sessions/abc/recordings")).isEqualTo("recording-service");
        assertThat(service("/api/me/notifications")).isEqualTo("recording-service");
        assertThat(service("/api/sessions/abc/analytics")).isEqualTo("analytics-service");
        assertThat(service("/api/sessions/abc/analytics/events")).isEqualTo("analytics-service");
        assertThat(service("/api/me/analytics")).isEqualTo("analytics-service");
        assertThat(service("/api/analytics/platform")).isEqualTo("analytics-service");
        assertThat(service("/api/me/notifications/3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c/read"))
                .isEqualTo("recording-service");
        assertThat(service("/api/sessions/abc/recordings/3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c/stop"))
                .isEqualTo("recording-service");
        assertThat(service("/api/sessions/abc/recordingsettings")).as("not the recordings route")
                .isEqualTo("session-service");
        assertThat(service("/podcast/feeds/hosts/h1.xml")).isEqualTo("recording-service");
        assertThat(service("/podcast/feeds/spaces/friday-talks.xml")).isEqualTo("recording-service");
        assertThat(service("/api/me/podcast")).isEqualTo("recording-service");
        assertThat(service("/api/sessions/abc/stream")).isEqualTo("recording-service");
        assertThat(service("/api/sessions/abc/stream/events")).isEqualTo("recording-service");
        assertThat(service("/api/sessions/abc/stream/ingress/rotate")).isEqualTo("recording-service");
        assertThat(service("/api/sessions/abc/streaming")).as("not the stream route").isEqualTo("session-service");
        assertThat(service("/api/me/restream-targets/3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c"))
                .isEqualTo("recording-service");
        assertThat(service("/hls/3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c/live.m3u8")).isEqualTo("recording-service");
        assertThat(service("/api/podcast/spaces")).isEqualTo("recording-service");
        assertThat(service("/api/podcast/spaces/friday-talks")).isEqualTo("recording-service");
        assertThat(service("/api/podcasts")).as("not the podcast route").isNull();
        assertThat(service("/api/me/podcasting")).isNull();
        assertThat(service("/api/sessions/abc/chapters/markers")).isEqualTo("recording-service");
        assertThat(service("/api/me/episodes")).isEqualTo("recording-service");
        assertThat(service("/api/episodes/5c7d9e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f/publish")).isEqualTo("recording-service");
        assertThat(service("/podcast/episodes/5c7d9e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f.mp3")).isEqualTo("recording-service");
        assertThat(service("/api/me/episodesx")).as("not the episodes route").isNull();
        assertThat(service("/api/unknown")).isNull();
        assertThat(service("/ws/sessions/a/b")).isNull();
    }

    @Test
    void anonymousRequestsPassOnlyWhereTheRouteAllowsThem() {
        RouteTable.Route sessions = RouteTable.route("/api/sessions").orElseThrow();
        assertThat(RouteTable.anonymousAllowed(sessions, "GET")).isTrue();
        assertThat(RouteTable.anonymousAllowed(sessions, "POST")).isFalse();
        assertThat(RouteTable.anonymousAllowed(RouteTable.route("/api/tokens").orElseThrow(), "POST")).isTrue();
        RouteTable.Route recordings = RouteTable.route("/api/sessions/abc/recordings").orElseThrow();
        assertThat(RouteTable.anonymousAllowed(recordings, "GET")).as("recordings need a token").isFalse();
        RouteTable.Route feeds = RouteTable.route("/podcast/feeds/hosts/h1.xml").orElseThrow();
        assertThat(RouteTable.anonymousAllowed(feeds, "GET")).as("podcast apps fetch feeds without a token").isTrue();
        assertThat(RouteTable.anonymousAllowed(feeds, "HEAD")).isTrue();
        assertThat(RouteTable.anonymousAllowed(feeds, "POST")).isFalse();
        assertThat(RouteTable.anonymousAllowed(RouteTable.route("/api/me/podcast").orElseThrow(), "GET")).isFalse();
        assertThat(RouteTable.anonymousAllowed(RouteTable.route("/api/podcast/spaces/x").orElseThrow(), "GET"))
                .isFalse();
        RouteTable.Route episodes = RouteTable.route("/api/me/episodes").orElseThrow();
        assertThat(RouteTable.anonymousAllowed(episodes, "GET")).as("the library needs a token").isFalse();
        RouteTable.Route podcast = RouteTable.route("/podcast/episodes/e.mp3").orElseThrow();
        assertThat(RouteTable.anonymousAllowed(podcast, "GET")).as("podcast apps fetch without a token").isTrue();
        assertThat(RouteTable.anonymousAllowed(podcast, "HEAD")).isTrue();
        RouteTable.Route webhook = RouteTable.route("/webhooks/livekit").orElseThrow();
        assertThat(webhook.ownAuthorization()).isTrue();
        assertThat(RouteTable.route("/api/tokens").orElseThrow().ownAuthorization()).isFalse();
    }
}
