package io.livestage.testing.gladia;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.livestage.testing.gladia.GladiaSession.AudioFormat;
import io.livestage.testing.gladia.GladiaSession.MessagesConfig;

/**
 * Validation of a {@code POST /v2/live} body against the value lists of Gladia's API (sdk generated-types.ts,
 * docs/api-reference/v2/live/init). Unknown properties are refused as by a whitelisting validator, so a misspelt
 * option (e.g. {@code receive_acknowledgements}) fails loudly instead of being ignored.
 */
final class GladiaInit {

    record Parsed(AudioFormat format, MessagesConfig messagesConfig, String language) {
    }

    static final List<String> ENCODINGS = List.of("wav/pcm", "wav/alaw", "wav/ulaw");
    static final List<Integer> BIT_DEPTHS = List.of(8, 16, 24, 32);
    static final List<Integer> SAMPLE_RATES = List.of(8000, 16000, 32000, 44100, 48000);
    static final List<String> MODELS = List.of("solaria-1", "solaria-2");
    static final List<String> REGIONS = List.of("eu-west", "us-west");
    private static final Set<String> TOP_LEVEL = Set.of("encoding", "bit_depth", "sample_rate", "channels", "model",
            "endpointing", "maximum_duration_without_endpointing", "language_config", "pre_processing",
            "realtime_processing", "post_processing", "messages_config", "callback", "callback_config",
            "custom_metadata");
    /** messages_config keys and their defaults (the API reference's schema). */
    private static final Map<String, Boolean> MESSAGES = Map.of("receive_partial_transcripts", false,
            "receive_final_transcripts", true, "receive_speech_events", true, "receive_pre_processing_events", true,
            "receive_realtime_processing_events", true, "receive_post_processing_events", true,
            "receive_acknowledgments", true, "receive_errors", true, "receive_lifecycle_events", false);
    private static final Set<String> CALLBACK_CONFIG = Set.of("url", "receive_partial_transcripts",
            "receive_final_transcripts", "receive_speech_events", "receive_pre_processing_events",
            "receive_realtime_processing_events", "receive_post_processing_events", "receive_acknowledgments",
            "receive_errors", "receive_lifecycle_events");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}");

    private GladiaInit() {
    }

    /** The session parameters, or {@code null} with the reasons added to {@code problems}. */
    static Parsed parse(ObjectNode body, List<String> problems) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!TOP_LEVEL.contains(name)) {
                problems.add("property " + name + " should not exist");
            }
        }
        String encoding = oneOf(body, "encoding", ENCODINGS, "wav/pcm", problems);
        boolean companded = !"wav/pcm".equals(encoding);
        int bitDepth = oneOf(body, "bit_depth", BIT_DEPTHS, companded ? 8 : 16, problems);
        if (companded && bitDepth != 8) {
            problems.add("bit_depth must be 8 with encoding " + encoding);
        }
        int sampleRate = oneOf(body, "sample_rate", SAMPLE_RATES, 16000, problems);
        int channels = 1;
        JsonNode channelsNode = present(body, "channels");
        if (channelsNode != null) {
            if (!channelsNode.isIntegralNumber() || channelsNode.asInt() < 1 || channelsNode.asInt() > 8) {
                problems.add("channels must be an integer from 1 to 8");
            } else {
                channels = channelsNode.asInt();
            }
        }
        oneOf(body, "model", MODELS, null, problems);
        range(body, "endpointing", 0.01, 10, problems);
        range(body, "maximum_duration_without_endpointing", 5, 60, problems);

        String language = "en";
        JsonNode languageConfig = object(body, "language_config", problems);
        if (languageConfig != null) {
            unknownKeys(languageConfig, "language_config", Set.of("languages", "code_switching"), problems);
            JsonNode languages = present(languageConfig, "languages");
            if (languages != null) {
                if (!languages.isArray()) {
                    problems.add("language_config.languages must be an array");
                } else {
                    for (JsonNode code : languages) {
                        if (!code.isTextual() || !LANGUAGE.matcher(code.asText()).matches()) {
                            problems.add("language_config.languages must contain language codes, not " + code);
                        }
                    }
                    if (!languages.isEmpty() && languages.get(0).isTextual()) {
                        language = languages.get(0).asText();
                    }
                }
            }
            bool(languageConfig, "language_config.", "code_switching", problems);
        }
        JsonNode preProcessing = object(body, "pre_processing", problems);
        if (preProcessing != null) {
            unknownKeys(preProcessing, "pre_processing", Set.of("audio_enhancer", "speech_threshold"), problems);
            bool(preProcessing, "pre_processing.", "audio_enhancer", problems);
            range(preProcessing, "speech_threshold", 0, 1, problems);
        }
        object(body, "realtime_processing", problems);
        object(body, "post_processing", problems);
        object(body, "custom_metadata", problems);

        JsonNode messages = object(body, "messages_config", problems);
        if (messages != null) {
            unknownKeys(messages, "messages_config", MESSAGES.keySet(), problems);
        }
        MessagesConfig messagesConfig = new MessagesConfig(
                flag(messages, "receive_partial_transcripts", problems),
                flag(messages, "receive_final_transcripts", problems),
                flag(messages, "receive_speech_events", problems),
                flag(messages, "receive_pre_processing_events", problems),
                flag(messages, "receive_realtime_processing_events", problems),
                flag(messages, "receive_post_processing_events", problems),
                flag(messages, "receive_acknowledgments", problems),
                flag(messages, "receive_errors", problems),
                flag(messages, "receive_lifecycle_events", problems));

        Boolean callback = bool(body, "", "callback", problems);
        JsonNode callbackConfig = object(body, "callback_config", problems);
        if (callbackConfig != null) {
            unknownKeys(callbackConfig, "callback_config", CALLBACK_CONFIG, problems);
        }
        if (Boolean.TRUE.equals(callback) && (callbackConfig == null || !callbackConfig.path("url").isTextual())) {
            problems.add("callback_config.url is required when callback is true");
        }
        return problems.isEmpty() ? new Parsed(new AudioFormat(encoding, bitDepth, sampleRate, channels),
                messagesConfig, language) : null;
    }

    private static JsonNode present(JsonNode parent, String name) {
        JsonNode value = parent.get(name);
        return value == null || value.isNull() ? null : value;
    }

    @SuppressWarnings("unchecked")
    private static <T> T oneOf(JsonNode body, String name, List<T> allowed, T fallback, List<String> problems) {
        JsonNode value = present(body, name);
        if (value == null) {
            return fallback;
        }
        Object candidate = value.isTextual() ? value.asText() : value.isIntegralNumber() ? (Object) value.asInt()
                : null;
        if (candidate == null || !allowed.contains(candidate)) {
            problems.add(name + " must be one of the following values: " + allowed + " (got " + value + ")");
            return fallback;
        }
        return (T) candidate;
    }

    private static void range(JsonNode body, String name, double min, double max, List<String> problems) {
        JsonNode value = present(body, name);
        if (value != null && (!value.isNumber() || value.asDouble() < min || value.asDouble() > max)) {
            problems.add(name + " must be a number from " + min + " to " + max + " (got " + value + ")");
        }
    }

    private static JsonNode object(JsonNode body, String name, List<String> problems) {
        JsonNode value = present(body, name);
        if (value != null && !value.isObject()) {
            problems.add(name + " must be an object");
            return null;
        }
        return value;
    }

    private static Boolean bool(JsonNode body, String prefix, String name, List<String> problems) {
        JsonNode value = present(body, name);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            problems.add(prefix + name + " must be a boolean value (got " + value + ")");
            return null;
        }
        return value.asBoolean();
    }

    private static boolean flag(JsonNode messages, String name, List<String> problems) {
        Boolean value = messages == null ? null : bool(messages, "messages_config.", name, problems);
        return value != null ? value : MESSAGES.get(name);
    }

    private static void unknownKeys(JsonNode object, String prefix, Set<String> known, List<String> problems) {
        List<String> unknown = new ArrayList<>();
        object.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                unknown.add(name);
            }
        });
        for (String name : unknown) {
            problems.add(prefix + ".property " + name + " should not exist");
        }
    }
}
