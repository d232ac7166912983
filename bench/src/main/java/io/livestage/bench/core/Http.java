package io.livestage.bench.core;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/**
 * The load client: Vert.x core's HttpClient on {@code eventLoops} threads, HTTP/1.1 keep-alive without pipelining, at
 * most {@code connections} connections per server, 127.0.0.1 only.
 */
public final class Http implements AutoCloseable {
    private final Vertx vertx;
    private final HttpClient client;
    private final Duration timeout;

    public Http(int eventLoops, int connections, Duration timeout) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops).setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2));
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false)
                .setTcpNoDelay(true).setConnectTimeout(5_000).setDefaultHost("127.0.0.1"),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
        this.timeout = timeout;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** A request; {@code bearer} and {@code json} may be null. */
    public CompletionStage<Buffer> call(HttpMethod method, int port, String path, String bearer, String json) {
        return call(method, port, path, bearer, json, Map.of(), status -> status / 100 == 2);
    }

    /** A request with extra headers, completing with the body when {@code ok} accepts the status (e.g. 304, 206). */
    public CompletionStage<Buffer> call(HttpMethod method, int port, String path, String bearer, String json,
            Map<String, String> headers, IntPredicate ok) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port)
                .setURI(path).setIdleTimeout(timeout.toMillis());
        if (bearer != null) {
            options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + bearer);
        }
        if (!headers.containsKey("Accept")) {
            options.putHeader(HttpHeaders.ACCEPT, "application/json");
        }
        headers.forEach(options::putHeader);
        Future<Buffer> answer = client.request(options).compose(request -> {
            Future<io.vertx.core.http.HttpClientResponse> sent;
            if (json != null) {
                request.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
                sent = request.send(json);
            } else {
                sent = request.send();
            }
            return sent.compose(response -> response.body().compose(body -> ok.test(response.statusCode())
                    ? Future.succeededFuture(body)
                    : Future.failedFuture(new OpenLoop.Failure("HTTP " + response.statusCode()
                            + " " + method + " " + template(path)))));
        });
        return answer.toCompletionStage();
    }

    /** {@link #call} waited for, the body as JSON (empty object for none); a failure names {@code what} and the body. */
    public JsonObject json(HttpMethod method, int port, String path, String bearer, String json) {
        try {
            Buffer body = call(method, port, path, bearer, json).toCompletableFuture()
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return body.length() == 0 ? new JsonObject() : body.toJsonObject();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + method + " " + path);
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed: " + OpenLoop.cause(e), e);
        }
    }

    /** Creates a session ({@code POST /api/sessions}) as {@code bearer}, started if {@code start}; its id. */
    public String session(int port, String bearer, String json, boolean start) {
        String id = json(HttpMethod.POST, port, "/api/sessions", bearer, json).getString("id");
        if (start) {
            json(HttpMethod.POST, port, "/api/sessions/" + id + "/start", bearer, null);
        }
        return id;
    }

    /** The status of a request, any status accepted (e.g. to see a refusal). */
    public int status(HttpMethod method, int port, String path, String bearer, String json) {
        try {
            call(method, port, path, bearer, json).toCompletableFuture().get(timeout.toMillis() + 1000,
                    TimeUnit.MILLISECONDS);
            return 200;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (Exception e) {
            String cause = OpenLoop.cause(e);
            return cause.startsWith("HTTP ") ? Integer.parseInt(cause.substring(5, 8)) : -1;
        }
    }

    /** A GET with the JDK's client, to read headers; null when it failed. */
    public static HttpResponse<byte[]> fetch(int port, String path, Map<String, String> headers)
            throws InterruptedException {
        try (java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30));
            headers.forEach(request::header);
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            Log.info("GET %s failed: %s", path, e);
            return null;
        }
    }

    /** A path with its ids replaced, so that error causes group: /api/sessions/{id}/start. */
    static String template(String path) {
        String withoutQuery = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        return withoutQuery.replaceAll("/[0-9a-fA-F-]{36}", "/{id}");
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            Log.info("closing the HTTP client: %s", e);
        }
    }
}
