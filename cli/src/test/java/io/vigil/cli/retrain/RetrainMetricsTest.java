package io.vigil.cli.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetrainMetricsTest {

    @Test
    void outcomesDurationsAndTheLastSuccessAreServedOnMetrics() throws Exception {
        try (RetrainMetrics metrics = RetrainMetrics.serve(0)) {
            metrics.record(
                    RetrainOutcome.REGISTERED,
                    Duration.ofSeconds(42),
                    Instant.parse("2018-08-15T00:00:00Z"));
            metrics.record(
                    RetrainOutcome.REFUSED,
                    Duration.ofMillis(20),
                    Instant.parse("2018-08-15T00:01:00Z"));

            String text = scrape(metrics.port());

            assertThat(text)
                    .contains("vigil_retrain_runs_total{outcome=\"registered\"} 1.0")
                    .contains("vigil_retrain_runs_total{outcome=\"refused\"} 1.0")
                    .contains("vigil_retrain_runs_total{outcome=\"duplicate\"} 0.0")
                    .contains("vigil_retrain_runs_total{outcome=\"retried\"} 0.0")
                    .contains(
                            "vigil_retrain_duration_seconds_bucket{outcome=\"registered\",le=\"30.0\"} 0")
                    .contains(
                            "vigil_retrain_duration_seconds_bucket{outcome=\"registered\",le=\"60.0\"} 1")
                    .contains("vigil_retrain_duration_seconds_sum{outcome=\"refused\"} 0.02")
                    // A refusal is no success: the gauge keeps the registration's time.
                    .contains("vigil_retrain_last_success_timestamp_seconds 1.5342912E9");
            assertThat(metrics.runs(RetrainOutcome.REGISTERED)).isEqualTo(1);
        }
    }

    @Test
    void unservedMetricsCountButHaveNoPort() {
        try (RetrainMetrics metrics = RetrainMetrics.unserved()) {
            metrics.record(RetrainOutcome.DUPLICATE, Duration.ZERO, Instant.EPOCH);

            assertThat(metrics.runs(RetrainOutcome.DUPLICATE)).isEqualTo(1);
            assertThatThrownBy(metrics::port).hasMessage("the retrain metrics are not served");
        }
    }

    private static String scrape(int port) throws Exception {
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + port + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
