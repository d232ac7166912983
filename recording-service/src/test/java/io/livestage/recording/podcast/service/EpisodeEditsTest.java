package io.livestage.recording.podcast.service;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.podcast.Chapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EpisodeEditsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static void refused(Runnable edit, String field) {
        assertThatThrownBy(edit::run).isInstanceOfSatisfying(ProblemException.class,
                p -> assertThat(p.field()).isEqualTo(field));
    }

    @Test
    void aPatchSetsOnlyTheFieldsGivenAndNullClearsTheOptionalOnes() throws Exception {
        Map<String, Object> columns = EpisodeEdits.patch(json("""
                {"title":" New title ","tags":["tech","java"],"season":null,"episodeType":"bonus",
                 "visibility":"UNLISTED","space":"indie-makers","explicit":true}"""));
        assertThat(columns).containsEntry("title", "New title").containsEntry("season", null)
                .containsEntry("episode_type", "bonus").containsEntry("visibility", "UNLISTED")
                .containsEntry("space", "indie-makers").containsEntry("explicit", true)
                .doesNotContainKey("description");
        assertThat((String[]) columns.get("tags")).containsExactly("tech", "java");
    }

    @Test
    void badFieldsAreNamed() throws Exception {
        JsonNode blank = json("{\"title\":\"  \"}");
        refused(() -> EpisodeEdits.patch(blank), "title");
        JsonNode season = json("{\"season\":0}");
        refused(() -> EpisodeEdits.patch(season), "season");
        JsonNode number = json("{\"episodeNumber\":\"3\"}");
        refused(() -> EpisodeEdits.patch(number), "episodeNumber");
        JsonNode type = json("{\"episodeType\":\"special\"}");
        refused(() -> EpisodeEdits.patch(type), "episodeType");
        JsonNode visibility = json("{\"visibility\":\"public\"}");
        refused(() -> EpisodeEdits.patch(visibility), "visibility");
        JsonNode space = json("{\"space\":\"Indie Makers\"}");
        refused(() -> EpisodeEdits.patch(space), "space");
        JsonNode tags = json("{\"tags\":[\"a\",\"A\"]}");
        refused(() -> EpisodeEdits.patch(tags), "tags[1]");
        JsonNode explicit = json("{\"explicit\":\"yes\"}");
        refused(() -> EpisodeEdits.patch(explicit), "explicit");
        JsonNode description = json("{\"description\":\"" + "é".repeat(2001) + "\"}");
        refused(() -> EpisodeEdits.patch(description), "description");
        JsonNode unknown = json("{\"status\":\"PUBLISHED\"}");
        refused(() -> EpisodeEdits.patch(unknown), "status");
        JsonNode array = json("[]");
        refused(() -> EpisodeEdits.patch(array), "body");
    }

    @Test
    void chaptersAreSecondsAscendingWithinTheEpisode() throws Exception {
        assertThat(EpisodeEdits.chapters(json("""
                {"version":"1.2.0","chapters":[{"startTime":0,"title":"Intro"},{"startTime":61.5,"title":"Bob"}]}"""),
                120_000)).containsExactly(new Chapter(0, "Intro"), new Chapter(61_500, "Bob"));
        assertThat(EpisodeEdits.chapters(json("{\"chapters\":[]}"), 1000)).isEqualTo(List.of());
        JsonNode descending = json("{\"chapters\":[{\"startTime\":5,\"title\":\"a\"},{\"startTime\":4,\"title\":\"b\"}]}");
        refused(() -> EpisodeEdits.chapters(descending, 60_000), "chapters[1].startTime");
        JsonNode late = json("{\"chapters\":[{\"startTime\":61,\"title\":\"a\"}]}");
        refused(() -> EpisodeEdits.chapters(late, 60_000), "chapters[0].startTime");
        JsonNode untitled = json("{\"chapters\":[{\"startTime\":1}]}");
        refused(() -> EpisodeEdits.chapters(untitled, 60_000), "chapters[0].title");
        JsonNode extra = json("{\"chapters\":[{\"startTime\":1,\"title\":\"a\",\"img\":\"x\"}]}");
        refused(() -> EpisodeEdits.chapters(extra, 60_000), "chapters[0].img");
    }
}
