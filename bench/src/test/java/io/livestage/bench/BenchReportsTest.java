package io.livestage.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BenchReportsTest {
    @Test
    void readsPrometheusSamplesByLabels() {
        String metrics = """
                # TYPE http_server_requests_seconds summary
                http_server_requests_seconds_count{method="POST",outcome="SUCCESS",status="200",uri="/api/tokens"} 3.0
                http_server_requests_seconds_count{method="POST",outcome="CLIENT_ERROR",status="403",uri="/api/tokens"} 2.0
                http_server_requests_seconds_count{method="GET",outcome="SUCCESS",status="200",uri="/q/health"} 9.0
                http_server_requests_seconds_sum{method="POST",outcome="SUCCESS",status="200",uri="/api/tokens"} 0.5
                """;

        assertThat(io.livestage.bench.core.Metrics.sample(metrics, "http_server_requests_seconds_count", "uri=\"/api/tokens\"")).isEqualTo(5.0);
        assertThat(io.livestage.bench.core.Metrics.sample(metrics, "http_server_requests_seconds_sum", "uri=\"/api/tokens\"")).isEqualTo(0.5);
        assertThat(io.livestage.bench.core.Metrics.sample(metrics, "http_server_requests_seconds_count", "status=\"403\"")).isEqualTo(2.0);
        assertThat(io.livestage.bench.core.Metrics.sample(metrics, "nothing_count")).isZero();
    }
}
