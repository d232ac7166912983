package io.livestage.gateway.e2e;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** RFC 9457 as the platform promises it: every refusal is problem+json with type, title, status and detail. */
final class Problems {
    private Problems() {
    }

    /** Null when the answer is a complete problem whose {@code status} is the HTTP status; what is wrong otherwise. */
    static String violation(Response response) {
        String type = response.contentType();
        if (type == null || !type.startsWith("application/problem+json")) {
            return "HTTP " + response.statusCode() + " without problem+json (Content-Type " + type + "): "
                    + abbreviated(response.asString());
        }
        JsonPath body;
        try {
            body = response.jsonPath();
            if (body.getString("type") != null && body.getString("title") != null && body.getString("detail") != null
                    && body.get("status") != null && body.getInt("status") == response.statusCode()) {
                return null;
            }
        } catch (RuntimeException e) {
            // not JSON: reported below
        }
        return "HTTP " + response.statusCode() + " with an incomplete problem: " + abbreviated(response.asString());
    }

    static String abbreviated(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
