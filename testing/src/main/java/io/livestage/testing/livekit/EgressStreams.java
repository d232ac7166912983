package io.livestage.testing.livekit;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RTMP stream URLs as egress validates and redacts them (livekit/egress pkg/config/urls.go; livekit/protocol
 * utils/redact.go): the stream key, the last path element, is shown as {@code {abc...xyz}} wherever a URL leaves the
 * worker, and a stream is looked up by the full URL it was added with.
 */
final class EgressStreams {

    /** rtmp(s)://{host}(/{path})/{app}/{stream_key}( live=1). */
    private static final Pattern RTMP = Pattern.compile("^(rtmps?://)(.*/)(.*/)(\\S*)( live=1)?$");
    private static final Pattern SHORTHAND = Pattern.compile("^(mux|twitch)://(\\S+)$");
    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*):");
    private static final Set<String> RTMP_SCHEMES = Set.of("rtmp", "rtmps", "mux", "twitch");
    static final String RTMP_FORMAT = "rtmp urls must be of format rtmp(s)://{host}(/{path})/{app}/{stream_key}"
            + "( live=1)";

    /**
     * One stream URL of an egress.
     *
     * @param raw as the request gave it
     * @param parsed what egress connects to and looks streams up by ({@code mux://key} expanded)
     * @param redacted what {@code stream_results[].url} shows
     */
    record StreamUrl(String raw, String parsed, String redacted) {
    }

    private EgressStreams() {
    }

    /** The URL's scheme in lower case, or empty (Go's url.Parse). */
    static String scheme(String rawUrl) {
        Matcher matcher = SCHEME.matcher(rawUrl);
        return matcher.find() ? matcher.group(1).toLowerCase(Locale.ROOT) : "";
    }

    /** Whether a StreamOutput of DEFAULT protocol with this first URL is an RTMP output (types.StreamOutputTypes). */
    static boolean isRtmp(String rawUrl) {
        return RTMP_SCHEMES.contains(scheme(rawUrl));
    }

    /** Whether the scheme names any stream output egress knows (rtmp, srt, websocket). */
    static boolean isStreamScheme(String rawUrl) {
        return isRtmp(rawUrl) || Set.of("srt", "ws", "wss").contains(scheme(rawUrl));
    }

    /** StreamConfig.ValidateUrl for an RTMP output; refusals are egress' {@code invalid url} errors. */
    static StreamUrl validate(String rawUrl) {
        if (!isRtmp(rawUrl)) {
            throw invalidUrl(rawUrl, "invalid scheme");
        }
        String parsed = parse(rawUrl);
        Matcher matcher = RTMP.matcher(parsed);
        if (!matcher.matches()) {
            throw invalidUrl(rawUrl, RTMP_FORMAT);
        }
        return new StreamUrl(rawUrl, parsed, redactedMatch(matcher));
    }

    /** StreamConfig.GetStream's key: the URL as egress stored it. */
    static String parse(String rawUrl) {
        String scheme = scheme(rawUrl);
        if (scheme.equals("mux")) {
            return "rtmps://global-live.mux.com:443/app/" + rawUrl.substring("mux://".length());
        }
        if (scheme.equals("twitch")) {
            throw new LiveKitStub.TwirpError(501, "unimplemented",
                    "the LiveKit stub does not resolve twitch:// ingest URLs (egress asks ingest.twitch.tv)");
        }
        return rawUrl;
    }

    /** utils.RedactStreamKey: the stream key of an RTMP (or mux/twitch shorthand) URL, else query values. */
    static String redactStreamKey(String url) {
        Matcher shorthand = SHORTHAND.matcher(url);
        if (shorthand.matches()) {
            return shorthand.group(1) + "://" + redactIdentifier(shorthand.group(2));
        }
        Matcher matcher = RTMP.matcher(url);
        if (!matcher.matches()) {
            return redactQueryValues(url);
        }
        return redactedMatch(matcher);
    }

    /** utils.RedactIdentifier: {@code {abc...xyz}}, fewer characters for short identifiers, {@code {...}} if tiny. */
    static String redactIdentifier(String identifier) {
        String prefix = "";
        String suffix = "";
        for (int i = 3; i > 0; i--) {
            if (identifier.length() >= i * 3) {
                prefix = identifier.substring(0, i);
                suffix = identifier.substring(identifier.length() - i);
                break;
            }
        }
        return "{" + prefix + "..." + suffix + "}";
    }

    private static String redactedMatch(Matcher matcher) {
        String live = matcher.group(5) == null ? "" : matcher.group(5);
        return matcher.group(1) + matcher.group(2) + matcher.group(3) + redactIdentifier(matcher.group(4)) + live;
    }

    /** utils.RedactUrlQueryValues: {@code ?key={...}} for every non-empty value. */
    private static String redactQueryValues(String url) {
        int question = url.indexOf('?');
        if (question < 0 || question == url.length() - 1) {
            return url;
        }
        String[] params = url.substring(question + 1).split("&", -1);
        for (int i = 0; i < params.length; i++) {
            int eq = params[i].indexOf('=');
            if (eq >= 0 && eq < params[i].length() - 1) {
                params[i] = params[i].substring(0, eq) + "={...}";
            }
        }
        return url.substring(0, question) + "?" + String.join("&", params);
    }

    static LiveKitStub.TwirpError invalidUrl(String url, String reason) {
        return new LiveKitStub.TwirpError(400, "invalid_argument", "invalid url " + url + ": " + reason);
    }
}
