package io.livestage.recording.service;

import org.junit.jupiter.api.Test;

import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.config.RecordingConfig;
import io.livestage.recording.podcast.feed.ApplePodcastCategory;
import io.livestage.recording.podcast.feed.ChannelType;
import io.livestage.recording.podcast.feed.PodcastChannel;
import io.livestage.recording.podcast.feed.PodcastGuid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChannelServiceTest {
    private static final ChannelService SERVICE = new ChannelService(null, new RecordingConfig() {
        @Override
        public Storage storage() {
            return null;
        }

        @Override
        public Audio audio() {
            return null;
        }

        @Override
        public Video video() {
            return null;
        }

        @Override
        public Egress egress() {
            return null;
        }

        @Override
        public String publicUrl() {
            return "https://live.example";
        }

        @Override
        public Feeds feeds() {
            return null;
        }

        @Override
        public Streaming streaming() {
            return null;
        }
    });

    private static ChannelInput input(String field, Object value) {
        return new ChannelInput(field.equals("title") ? (String) value : null,
                field.equals("description") ? (String) value : null, field.equals("imageUrl") ? (String) value : null,
                field.equals("language") ? (String) value : null, field.equals("category") ? (String) value : null,
                field.equals("subcategory") ? (String) value : null, null,
                field.equals("author") ? (String) value : null, field.equals("copyright") ? (String) value : null,
                field.equals("type") ? (String) value : null);
    }

    private static void assertInvalid(ChannelInput input, String field) {
        assertThatThrownBy(() -> SERVICE.validate("h1", null, input)).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void anEmptyProfileTakesTheDefaults() {
        PodcastChannel channel = SERVICE.validate("h1", null, input("none", null));
        assertThat(channel.title()).isEqualTo("h1's livestage podcast");
        assertThat(channel.description()).isEqualTo("Recordings of h1's livestage sessions.");
        assertThat(channel.language()).isEqualTo("en-us");
        assertThat(channel.category()).isEqualTo(ApplePodcastCategory.TECHNOLOGY);
        assertThat(channel.subcategory()).isNull();
        assertThat(channel.explicit()).isFalse();
        assertThat(channel.author()).isEqualTo("h1");
        assertThat(channel.copyright()).isNull();
        assertThat(channel.imageUrl()).isNull();
        assertThat(channel.type()).isEqualTo(ChannelType.EPISODIC);
        assertThat(channel.podcastGuid()).isEqualTo(PodcastGuid.of("live.example/podcast/feeds/hosts/h1.xml"));
        assertThat(SERVICE.validate("h1", "friday-talks", input("none", null)).podcastGuid())
                .isEqualTo(PodcastGuid.of("live.example/podcast/feeds/spaces/friday-talks.xml"));
    }

    @Test
    void valuesAreNormalisedToApplesSpelling() {
        assertThat(SERVICE.validate("h1", null, input("language", "PT_BR")).language()).isEqualTo("pt-br");
        assertThat(SERVICE.validate("h1", null, input("language", "de")).language()).isEqualTo("de");
        assertThat(SERVICE.validate("h1", null, input("category", "health & fitness")).category())
                .isEqualTo(ApplePodcastCategory.HEALTH_AND_FITNESS);
        assertThat(SERVICE.validate("h1", null, new ChannelInput(null, null, null, null, "news", "tech news", true,
                null, null, "Serial"))).satisfies(c -> {
                    assertThat(c.subcategory()).isEqualTo("Tech News");
                    assertThat(c.explicit()).isTrue();
                    assertThat(c.type()).isEqualTo(ChannelType.SERIAL);
                });
        assertThat(SERVICE.validate("h1", null, input("title", "  Spaced  ")).title()).isEqualTo("Spaced");
    }

    @Test
    void badValuesAreRefusedNamingTheirField() {
        assertInvalid(input("language", "english"), "language");
        assertInvalid(input("language", "xx-us"), "language");
        assertInvalid(input("language", "en-zz"), "language");
        assertInvalid(input("category", "Cooking"), "category");
        assertInvalid(input("subcategory", "Tech News"), "subcategory");
        assertInvalid(new ChannelInput(null, null, null, null, "News", "Golf", null, null, null, null),
                "subcategory");
        assertInvalid(input("type", "weekly"), "type");
        assertInvalid(input("title", "   "), "title");
        assertInvalid(input("title", "t".repeat(256)), "title");
        assertInvalid(input("author", "a".repeat(256)), "author");
        assertInvalid(input("copyright", "c".repeat(256)), "copyright");
        assertInvalid(input("description", "é".repeat(2001)), "description");
        assertInvalid(input("imageUrl", "ftp://img.example/a.png"), "imageUrl");
        assertInvalid(input("imageUrl", "https://img.example/a.gif"), "imageUrl");
        assertInvalid(input("imageUrl", "cover.png"), "imageUrl");
        assertInvalid(null, "body");
        assertThat(SERVICE.validate("h1", null, input("description", "é".repeat(2000))).description()).hasSize(2000);
        assertThat(SERVICE.validate("h1", null, input("imageUrl", "https://img.example/A.JPG?v=2")).imageUrl())
                .isEqualTo("https://img.example/A.JPG?v=2");
    }

    @Test
    void spaceSlugsAreLowerCaseLettersDigitsAndInnerHyphens() {
        assertThat(ChannelService.SLUG.matcher("friday-talks").matches()).isTrue();
        assertThat(ChannelService.SLUG.matcher("abc").matches()).isTrue();
        assertThat(ChannelService.SLUG.matcher("ab").matches()).isFalse();
        assertThat(ChannelService.SLUG.matcher("-abc").matches()).isFalse();
        assertThat(ChannelService.SLUG.matcher("Abc").matches()).isFalse();
        assertThat(ChannelService.SLUG.matcher("a".repeat(65)).matches()).isFalse();
        assertThatThrownBy(() -> SERVICE.createSpace("h1", "Bad Slug", input("none", null)))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.field()).isEqualTo("slug"));
    }
}
