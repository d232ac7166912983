package io.livestage.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vertx.core.json.JsonObject;

/**
 * A blocking JSON client for set-up steps and for drivers that run one request at a time per thread (JDK
 * {@link HttpClient}, HTTP/1.1 keep-alive, 127.0.0.1 only).
 */
final class Http {
    /** An answer: status and body (empty string for none). */
    record Response(int status, String body) {
        boolean ok() {
            return status / 100 == 2;
        }

        JsonObject json() {
            return new JsonObject(body);
        }

        /** The answer as a failure message, e.g. {@code 409 {"detail":...}}. */
        String describe() {
            return status + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
        }
    }

    private final HttpClient client;
    private final Duration timeout;

    Http(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** POST with a JSON body ({@code null} for none) and a bearer token ({@code null} for none). */
    Response post(int port, String path, String bearer, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(timeout)
                .header("Accept", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body() == null ? "" : response.body());
    }

    /** PUT with a JSON body and a bearer token ({@code null} for none). */
    Response put(int port, String path, String bearer, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body() == null ? "" : response.body());
    }

    /** Like {@link #post}, but anything other than 2xx is an {@link IllegalStateException} naming {@code what}. */
    JsonObject postOk(int port, String path, String bearer, String json, String what)
            throws IOException, InterruptedException {
        Response response = post(port, path, bearer, json);
        if (!response.ok()) {
            throw new IllegalStateException(what + " failed: " + response.describe());
        }
        return response.body().isBlank() ? new JsonObject() : response.json();
    }

    /**
     * GET with extra headers and a bearer token ({@code null} for none); the body as bytes, any status. The timeout
     * bounds the whole exchange, body included (a server that stalls mid-body fails it).
     */
    HttpResponse<byte[]> get(int port, String path, String bearer, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(timeout).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        headers.forEach(request::header);
        CompletableFuture<HttpResponse<byte[]>> response = client.sendAsync(request.build(),
                HttpResponse.BodyHandlers.ofByteArray());
        try {
            return response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            response.cancel(true);
            throw new IOException("GET " + path + ": no whole response within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }
}
