package io.livestage.testing.livekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Egress' naming rules for recorded files (livekit/egress output_file.go) and where the stub puts them. */
class EgressFilepathsTest {

    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 2, 17, 18, 11, 47, 123_000_000, ZoneOffset.UTC);
    private static final Map<String, String> ROOM = EgressFilepaths.roomReplacements("r1", "RM_abc", NOW);

    private static String path(String requested, String extension) {
        return EgressFilepaths.storagePath(requested, ROOM, "r1", extension, NOW);
    }

    @Test
    void templatesAreReplaced() {
        assertThat(path("/out/{room_name}/{time}", ".mp3")).isEqualTo("/out/r1/2026-02-17T181147.mp3");
        assertThat(path("{room_id}-{utc}", ".ogg")).isEqualTo("RM_abc-20260217181147123.ogg");
    }

    @Test
    void anEmptyPathOrADirectoryGetsAGeneratedName() {
        assertThat(path("", ".mp3")).isEqualTo("r1-2026-02-17T181147.mp3");
        assertThat(path("/out/podcasts/", ".ogg")).isEqualTo("/out/podcasts/r1-2026-02-17T181147.ogg");
    }

    @Test
    void theExtensionIsForcedToTheFileTypes() {
        assertThat(path("/out/episode.mp3", ".mp3")).isEqualTo("/out/episode.mp3");
        assertThat(path("/out/episode.ogg", ".mp3")).isEqualTo("/out/episode.mp3");
        // An extension egress does not know is kept: an MP4 file cannot be named .m4a.
        assertThat(path("/out/episode.m4a", ".mp4")).isEqualTo("/out/episode.m4a.mp4");
        assertThat(path("/out/episode", ".ogg")).isEqualTo("/out/episode.ogg");
    }

    @Test
    void pathsAreCleanedLikeGosPathClean() {
        assertThat(EgressFilepaths.clean("../../a/./b//c/")).isEqualTo("a/b/c/");
        assertThat(EgressFilepaths.clean("/out/../x/y/..")).isEqualTo("/x");
        assertThat(EgressFilepaths.clean("..")).isEmpty();
        assertThat(EgressVolumes.location("recordings/r1.mp3")).isEqualTo("/recordings/r1.mp3");
    }

    @Test
    void theLongestMountWinsAndTheRestStaysInTheContainer() {
        EgressVolumes volumes = new EgressVolumes();
        try {
            volumes.mount("/out", Path.of("/tmp/host-out"));
            volumes.mount("/out/special/", Path.of("/tmp/host-special"));

            assertThat(volumes.hostPath("/out/r1/a.mp3")).isEqualTo(Path.of("/tmp/host-out/r1/a.mp3"));
            assertThat(volumes.hostPath("/out/special/a.mp3")).isEqualTo(Path.of("/tmp/host-special/a.mp3"));
            assertThat(volumes.hostPath("/outside/a.mp3")).isEqualTo(volumes.containerRoot().resolve("outside/a.mp3"));
            assertThat(volumes.hostPath("/outlet.mp3")).isEqualTo(volumes.containerRoot().resolve("outlet.mp3"));
            assertThatThrownBy(() -> volumes.mount("relative", Path.of("/tmp")))
                    .isInstanceOf(IllegalArgumentException.class);
        } finally {
            volumes.deleteContainerRoot();
        }
        assertThat(volumes.containerRoot()).doesNotExist();
    }
}
