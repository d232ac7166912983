package io.livestage.session.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/** How long LiveKit's view of a room may disagree with the session before session-service acts on it (values in application.properties). */
@ConfigMapping(prefix = "livestage.stage")
public interface StageConfig {

    /** A participant whose connection went stays present (a guest keeps the stage slot) this long for a rejoin. */
    Duration leaveGrace();

    /** A live session whose LiveKit room finished ends after this long without anyone rejoining. */
    Duration roomFinishedGrace();

    /** How often the graces are checked (also read by the scheduler as {@code livestage.stage.sweep-every}). */
    Duration sweepEvery();
}
