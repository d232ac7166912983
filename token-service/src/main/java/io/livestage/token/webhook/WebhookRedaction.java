package io.livestage.token.webhook;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Takes secrets out of LiveKit's egress and ingress info before a webhook goes on Kafka, where every consumer team
 * reads it: an egress request echoes its upload credentials (S3 {@code secret}, {@code sessionToken}, GCP
 * {@code credentials}, Azure {@code accountKey}, AliOSS {@code secret}), a stream output its RTMP/SRT {@code urls} (whose
 * last path segment is the stream key; LiveKit redacts only the results), and an ingress its {@code streamKey}. Values are replaced, keys kept, so the shape
 * LiveKit documents stays; the file types, paths and results recording-service needs are untouched.
 */
final class WebhookRedaction {
    static final String REDACTED = "[redacted]";

    private static final Set<String> SECRET_KEYS = Set.of("secret", "accessKey", "sessionToken", "credentials",
            "accountKey", "streamKey", "signingKey", "assumeRoleExternalId");

    private WebhookRedaction() {
    }

    /** A copy of {@code info} with its secrets replaced (null stays null). */
    static Map<String, Object> redact(Map<String, Object> info) {
        return info == null ? null : map(info);
    }

    @SuppressWarnings("unchecked")
    private static Object value(String key, Object value) {
        if (value instanceof Map<?, ?> m) {
            return map((Map<String, Object>) m);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object item : list) {
                out.add("urls".equals(key) && item instanceof String url ? streamUrl(url) : value(key, item));
            }
            return out;
        }
        return SECRET_KEYS.contains(key) && value != null ? REDACTED : value;
    }

    private static Map<String, Object> map(Map<String, Object> in) {
        Map<String, Object> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(k, value(k, v)));
        return out;
    }

    private static boolean isStreamUrl(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("rtmp://") || lower.startsWith("rtmps://") || lower.startsWith("srt://");
    }

    /** An RTMP/SRT URL without its stream key (the last path segment) and any query; other URLs unchanged. */
    static String streamUrl(String url) {
        if (!isStreamUrl(url)) {
            return url;
        }
        try {
            URI uri = URI.create(url);
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            int slash = path.lastIndexOf('/');
            String kept = slash > 0 ? path.substring(0, slash) : "";
            return uri.getScheme() + "://" + uri.getRawAuthority() + kept + "/" + REDACTED;
        } catch (IllegalArgumentException e) {
            return REDACTED;
        }
    }
}
