package io.livestage.events.livekit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reading LiveKit's protojson as maps: omitted fields are zero values, int64 are strings (or numbers from other
 * writers), times are Unix nanoseconds.
 */
final class ProtoJson {
    private ProtoJson() {
    }

    static String text(Map<String, Object> json, String field) {
        Object value = json.get(field);
        return value == null ? null : value.toString();
    }

    /** An int64; omitted is 0. */
    static long number(Map<String, Object> json, String field) {
        Object value = json.get(field);
        if (value == null) {
            return 0;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(value.toString().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("LiveKit field " + field + " is not an integer: " + value, e);
        }
    }

    static double decimal(Map<String, Object> json, String field) {
        Object value = json.get(field);
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        return value == null ? 0 : Double.parseDouble(value.toString().strip());
    }

    /** Unix nanoseconds to an instant; omitted (0) is null. */
    static Instant time(Map<String, Object> json, String field) {
        long nanos = number(json, field);
        return nanos == 0 ? null : Instant.ofEpochSecond(0, nanos);
    }

    static List<Map<String, Object>> objects(Object value) {
        List<Map<String, Object>> objects = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> map) {
                    objects.add(object(map));
                }
            }
        }
        return objects;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
