package io.livestage.recording.podcast.feed;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PodcastGuidTest {

    @Test
    void theTestVectorsOfThePodcastNamespaceGiveTheirGuids() {
        assertThat(PodcastGuid.of("podnews.net/rss"))
                .isEqualTo(UUID.fromString("9b024349-ccf0-5f69-a609-6b82873eab3c"));
        assertThat(PodcastGuid.of("mp3s.nashownotes.com/pc20rss.xml"))
                .isEqualTo(UUID.fromString("917393e3-1b1e-5cef-ace4-edaa54e1f810"));
    }

    @Test
    void schemeAndTrailingSlashesAreDroppedBeforeHashing() {
        assertThat(PodcastGuid.of("https://podnews.net/rss/"))
                .isEqualTo(UUID.fromString("9b024349-ccf0-5f69-a609-6b82873eab3c"));
        assertThat(PodcastGuid.of("http://mp3s.nashownotes.com/pc20rss.xml//"))
                .isEqualTo(UUID.fromString("917393e3-1b1e-5cef-ace4-edaa54e1f810"));
        assertThat(PodcastGuid.normalise("HTTPS://example.org/podcast/feeds/hosts/h1.xml"))
                .isEqualTo("example.org/podcast/feeds/hosts/h1.xml");
    }

    @Test
    void theGuidIsAVersion5IetfVariantUuidAndDiffersFromV3() {
        UUID guid = PodcastGuid.of("example.org/feed.xml");
        assertThat(guid.version()).isEqualTo(5);
        assertThat(guid.variant()).isEqualTo(2);
        assertThat(guid).isNotEqualTo(UUID.nameUUIDFromBytes("example.org/feed.xml".getBytes()));
        assertThat(PodcastGuid.of("example.org/other.xml")).isNotEqualTo(guid);
    }
}
