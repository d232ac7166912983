package io.livestage.recording.podcast.service;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.livestage.events.podcast.EpisodeVisibility;
import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.podcast.Chapter;
import io.livestage.recording.podcast.Chapters;

/**
 * Reads a host's edits of an episode, refusing bad input with a problem naming the field: a PATCH (only the fields
 * given change; {@code null} clears {@code season}, {@code episodeNumber} and {@code space}) and a chapter list.
 */
public final class EpisodeEdits {
    static final int MAX_TAGS = 20;
    static final int MAX_TAG = 50;
    static final int MAX_DESCRIPTION_BYTES = 4000;
    static final int MAX_CHAPTERS = 100;
    static final Pattern SPACE = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final List<String> EPISODE_TYPES = List.of("full", "trailer", "bonus");

    private EpisodeEdits() {
    }

    /** The columns a PATCH body sets, in the order given. */
    public static Map<String, Object> patch(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.invalid("body", "A JSON object with the fields to change");
        }
        Map<String, Object> columns = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = body.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            switch (name) {
                case "title" -> columns.put("title", title(value, "title"));
                case "description" -> columns.put("description", description(value));
                case "tags" -> columns.put("tags", tags(value));
                case "explicit" -> {
                    if (!value.isBoolean()) {
                        throw ProblemException.invalid("explicit", "explicit is true or false");
                    }
                    columns.put("explicit", value.booleanValue());
                }
                case "season" -> columns.put("season", positive(value, "season"));
                case "episodeNumber" -> columns.put("episode_number", positive(value, "episodeNumber"));
                case "episodeType" -> {
                    if (!value.isTextual() || !EPISODE_TYPES.contains(value.textValue())) {
                        throw ProblemException.invalid("episodeType", "episodeType is full, trailer or bonus");
                    }
                    columns.put("episode_type", value.textValue());
                }
                case "visibility" -> columns.put("visibility", visibility(value).name());
                case "space" -> columns.put("space", space(value));
                default -> throw ProblemException.invalid(name, "Unknown field '" + name + "'");
            }
        }
        return columns;
    }

    /**
     * The chapters of a body {@code {"chapters":[{"startTime":0,"title":"..."}]}} (a chapters.json document is
     * accepted as it is): start times in seconds, ascending, within the episode's {@code durationMillis}.
     */
    public static List<Chapter> chapters(JsonNode body, long durationMillis) {
        if (body == null || !body.isObject()) {
            throw ProblemException.invalid("chapters", "A JSON object {\"chapters\":[{\"startTime\":0,\"title\":\"...\"}]}");
        }
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!"chapters".equals(name) && !"version".equals(name)) {
                throw ProblemException.invalid(name, "Unknown field '" + name + "'");
            }
        }
        JsonNode list = body.get("chapters");
        if (list == null || !list.isArray()) {
            throw ProblemException.invalid("chapters", "chapters is a list of {startTime, title}");
        }
        if (list.size() > MAX_CHAPTERS) {
            throw ProblemException.invalid("chapters", "At most " + MAX_CHAPTERS + " chapters");
        }
        List<Chapter> chapters = new ArrayList<>();
        long previous = -1;
        for (int i = 0; i < list.size(); i++) {
            JsonNode chapter = list.get(i);
            String at = "chapters[" + i + "]";
            if (!chapter.isObject()) {
                throw ProblemException.invalid(at, "A chapter is {startTime, title}");
            }
            Iterator<String> fields = chapter.fieldNames();
            while (fields.hasNext()) {
                String name = fields.next();
                if (!"startTime".equals(name) && !"title".equals(name)) {
                    throw ProblemException.invalid(at + "." + name, "Unknown field '" + name + "'");
                }
            }
            JsonNode start = chapter.get("startTime");
            if (start == null || !start.isNumber() || start.doubleValue() < 0) {
                throw ProblemException.invalid(at + ".startTime", "startTime is a number of seconds, 0 or more");
            }
            long millis = Math.round(start.doubleValue() * 1000);
            if (millis > durationMillis) {
                throw ProblemException.invalid(at + ".startTime", "startTime is after the episode's end ("
                        + durationMillis / 1000.0 + " s)");
            }
            if (millis < previous) {
                throw ProblemException.invalid(at + ".startTime", "Chapters are in ascending order of startTime");
            }
            previous = millis;
            chapters.add(new Chapter(millis, title(chapter.get("title"), at + ".title")));
        }
        return chapters;
    }

    /** A title: text, 1 to 200 characters after trimming. */
    public static String title(JsonNode value, String field) {
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw ProblemException.invalid(field, "A title is text that is not blank");
        }
        return title(value.textValue(), field);
    }

    /** A title: 1 to 200 characters after trimming. */
    public static String title(String text, String field) {
        String title = text == null ? "" : text.strip();
        if (title.isEmpty()) {
            throw ProblemException.invalid(field, "A title is text that is not blank");
        }
        if (title.length() > Chapters.MAX_TITLE || title.contains("\n")) {
            throw ProblemException.invalid(field, "A title is one line of at most " + Chapters.MAX_TITLE
                    + " characters");
        }
        return title;
    }

    private static String description(JsonNode value) {
        if (!value.isTextual()) {
            throw ProblemException.invalid("description", "description is text (it may be empty)");
        }
        String description = value.textValue().strip();
        if (description.getBytes(StandardCharsets.UTF_8).length > MAX_DESCRIPTION_BYTES) {
            throw ProblemException.invalid("description", "description is at most " + MAX_DESCRIPTION_BYTES
                    + " bytes (UTF-8), as podcast apps allow");
        }
        return description;
    }

    private static String[] tags(JsonNode value) {
        if (!value.isArray()) {
            throw ProblemException.invalid("tags", "tags is a list of words");
        }
        if (value.size() > MAX_TAGS) {
            throw ProblemException.invalid("tags", "At most " + MAX_TAGS + " tags");
        }
        Set<String> seen = new HashSet<>();
        String[] tags = new String[value.size()];
        for (int i = 0; i < value.size(); i++) {
            JsonNode tag = value.get(i);
            String field = "tags[" + i + "]";
            if (!tag.isTextual() || tag.textValue().isBlank()) {
                throw ProblemException.invalid(field, "A tag is text that is not blank");
            }
            String text = tag.textValue().strip();
            if (text.length() > MAX_TAG || text.contains(",") || text.contains("\n")) {
                throw ProblemException.invalid(field, "A tag is at most " + MAX_TAG
                        + " characters on one line, without commas");
            }
            if (!seen.add(text.toLowerCase(Locale.ROOT))) {
                throw ProblemException.invalid(field, "'" + text + "' is listed twice");
            }
            tags[i] = text;
        }
        return tags;
    }

    private static Integer positive(JsonNode value, String field) {
        if (value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || value.longValue() < 1 || value.longValue() > 100_000) {
            throw ProblemException.invalid(field, field + " is a whole number from 1 to 100000, or null");
        }
        return value.intValue();
    }

    private static EpisodeVisibility visibility(JsonNode value) {
        if (value.isTextual()) {
            for (EpisodeVisibility v : EpisodeVisibility.values()) {
                if (v.name().equals(value.textValue())) {
                    return v;
                }
            }
        }
        throw ProblemException.invalid("visibility", "visibility is PUBLIC, UNLISTED or PRIVATE");
    }

    private static String space(JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (!value.isTextual() || !SPACE.matcher(value.textValue()).matches()) {
            throw ProblemException.invalid("space", "space is a space's slug (lower-case letters, digits and "
                    + "hyphens, at most 64), or null");
        }
        return value.textValue();
    }
}
