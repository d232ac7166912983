package io.livestage.bench.core;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Collectors;

/** A service's Prometheus text ({@code /q/metrics}) and the few figures the reports read from it. */
public final class Metrics {
    private Metrics() {
    }

    /** The Prometheus text of the service on {@code port}, or empty when it cannot be read. */
    public static String of(int port) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | RuntimeException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /**
     * Sum of the samples of metric {@code name} (e.g. {@code http_server_requests_seconds_count}) whose labels contain
     * every one of {@code labels} (e.g. {@code uri="/api/tokens"}).
     */
    public static double sample(String metrics, String name, String... labels) {
        double sum = 0;
        for (String line : metrics.lines().toList()) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            int close = line.lastIndexOf('}');
            String labelText = close < 0 ? "" : line.substring(name.length(), close + 1);
            boolean all = true;
            for (String label : labels) {
                all &= labelText.contains(label);
            }
            if (all) {
                try {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } catch (NumberFormatException ignored) {
                    // NaN or a malformed line: skip
                }
            }
        }
        return sum;
    }

    /** p50/p99/p99.9 of livestage.outbox.lag (commit → Kafka acknowledgement), or null when absent. */
    public static String outboxLag(String metrics) {
        try {
            String quantiles = metrics.lines()
                    .filter(l -> l.startsWith("livestage_outbox_lag_seconds{") && l.contains("quantile="))
                    .map(l -> {
                        String q = l.substring(l.indexOf("quantile=\"") + 10);
                        q = q.substring(0, q.indexOf('"'));
                        double seconds = Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
                        return String.format(Locale.ROOT, "p%s %.2f ms", Table.plain(Double.parseDouble(q) * 100,
                                1).replaceAll("\\.0$", ""), seconds * 1000);
                    })
                    .collect(Collectors.joining(", "));
            return quantiles.isEmpty() ? null : quantiles;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
