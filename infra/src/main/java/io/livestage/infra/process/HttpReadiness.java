package io.livestage.infra.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * Waits until a URL answers 200 ({@code /q/health/ready}, a realm's discovery document) while watching the process
 * that should serve it: fails at once when that process exits or is being stopped.
 */
public final class HttpReadiness {

    /** Why a wait ended without a 200. */
    public enum Failure { EXITED, STOPPED, TIMED_OUT, INTERRUPTED }

    /** A wait that ended without a 200: why, and the last answer seen ("HTTP 503 ...", "no answer (...)"). */
    public static final class NotReadyException extends RuntimeException {
        private final Failure failure;
        private final String lastAnswer;

        NotReadyException(Failure failure, String lastAnswer, String message) {
            super(message);
            this.failure = failure;
            this.lastAnswer = lastAnswer;
        }

        public Failure failure() {
            return failure;
        }

        public String lastAnswer() {
            return lastAnswer;
        }
    }

    private static final Duration REPORT_EVERY = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private HttpReadiness() {
    }

    /** {@link #await(URI, ChildProcess, Duration, Duration, BiConsumer)} without progress reports. */
    public static Duration await(URI url, ChildProcess process, Duration timeout, Duration poll) {
        return await(url, process, timeout, poll, (elapsed, last) -> { });
    }

    /**
     * Polls {@code url} every {@code poll} until it answers 200 and returns how long that took. {@code process} may
     * be null (a server someone else runs). {@code waiting} hears the elapsed time and the last answer every 10 s.
     */
    public static Duration await(URI url, ChildProcess process, Duration timeout, Duration poll,
            BiConsumer<Duration, String> waiting) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build();
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long lastReport = start;
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (process != null && process.isStopping()) {
                throw new NotReadyException(Failure.STOPPED, last, process.name() + " was stopped while starting");
            }
            if (process != null && !process.isAlive()) {
                throw new NotReadyException(Failure.EXITED, last, process.name() + " exited (code "
                        + process.exitValue() + ") before it was ready");
            }
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
                last = "HTTP " + response.statusCode() + " " + abbreviate(response.body());
            } catch (IOException e) {
                last = "no answer (" + e.getClass().getSimpleName() + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NotReadyException(Failure.INTERRUPTED, last, "Interrupted while waiting for " + url);
            }
            if (System.nanoTime() - lastReport > REPORT_EVERY.toNanos()) {
                waiting.accept(Duration.ofNanos(System.nanoTime() - start), last);
                lastReport = System.nanoTime();
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NotReadyException(Failure.INTERRUPTED, last, "Interrupted while waiting for " + url);
            }
        }
        throw new NotReadyException(Failure.TIMED_OUT, last, url + " did not answer 200 within " + timeout.toSeconds()
                + " s (last: " + last + ")");
    }

    private static String abbreviate(String s) {
        String oneLine = s == null ? "" : s.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }
}
