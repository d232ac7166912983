package io.livestage.chat.feed;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the room feed is assigned to its topics and polling: without it no socket would get messages. */
@Readiness
@ApplicationScoped
public class RoomFeedHealthCheck implements HealthCheck {
    private final RoomFeed feed;

    public RoomFeedHealthCheck(RoomFeed feed) {
        this.feed = feed;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("room-feed").status(feed.healthy()).build();
    }
}
