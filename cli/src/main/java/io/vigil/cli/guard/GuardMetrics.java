package io.vigil.cli.guard;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.vigil.cli.MetricsEndpoint;

/**
 * The rollback guard's Prometheus metrics:
 *
 * <ul>
 *   <li>{@code vigil_guard_decisions_total}: decisions read; {@code vigil_guard_malformed_total}:
 *       records that were not decisions;
 *   <li>{@code vigil_guard_window_inferences{model,version,role}}, {@code
 *       vigil_guard_error_rate{...}}, {@code vigil_guard_decline_rate{...}}: the current champion's
 *       and challenger's figures over the window, as judged at the last evaluation;
 *   <li>{@code vigil_guard_breaches_total{model,role,limit,action}}: limits found breached, by
 *       {@link GuardAction};
 *   <li>{@code vigil_guard_last_evaluation_timestamp_seconds}: when the roles were last judged;
 *       {@code vigil_guard_evaluation_failures_total}: evaluations that failed and were retried.
 * </ul>
 */
final class GuardMetrics implements AutoCloseable {

    private static final String[] SUBJECT = {"model", "version", "role"};

    final MetricsEndpoint endpoint;
    final Counter decisions;
    final Counter malformed;
    final Gauge inferences;
    final Gauge errorRate;
    final Gauge declineRate;
    final Counter breaches;
    final Gauge lastEvaluation;
    final Counter evaluationFailures;

    private GuardMetrics(MetricsEndpoint endpoint) {
        this.endpoint = endpoint;
        decisions =
                Counter.builder()
                        .name("vigil_guard_decisions_total")
                        .help("Decisions read by the rollback guard")
                        .register(endpoint.registry());
        malformed =
                Counter.builder()
                        .name("vigil_guard_malformed_total")
                        .help("Records on the decisions topic that did not decode as decisions")
                        .register(endpoint.registry());
        inferences =
                Gauge.builder()
                        .name("vigil_guard_window_inferences")
                        .help("Inferences of a serving model version over the guard's window")
                        .labelNames(SUBJECT)
                        .register(endpoint.registry());
        errorRate =
                Gauge.builder()
                        .name("vigil_guard_error_rate")
                        .help(
                                "Share of a serving version's inferences that failed, over the window")
                        .labelNames(SUBJECT)
                        .register(endpoint.registry());
        declineRate =
                Gauge.builder()
                        .name("vigil_guard_decline_rate")
                        .help(
                                "Share of the transactions a serving version decided that it"
                                        + " declined, over the window")
                        .labelNames(SUBJECT)
                        .register(endpoint.registry());
        breaches =
                Counter.builder()
                        .name("vigil_guard_breaches_total")
                        .help(
                                "Limits found breached by a serving version, by what the guard"
                                        + " did (rolled_back, shadowed, reported, refused)")
                        .labelNames("model", "role", "limit", "action")
                        .register(endpoint.registry());
        lastEvaluation =
                Gauge.builder()
                        .name("vigil_guard_last_evaluation_timestamp_seconds")
                        .help("Unix time at which the guard last judged the serving versions")
                        .register(endpoint.registry());
        evaluationFailures =
                Counter.builder()
                        .name("vigil_guard_evaluation_failures_total")
                        .help(
                                "Evaluations that failed (registry or model-event publisher"
                                        + " unavailable) and were tried again at the next one")
                        .register(endpoint.registry());
    }

    /** Metrics served on {@code port} ({@code 0}: any free port), or not served ({@code null}). */
    static GuardMetrics open(Integer port) {
        return new GuardMetrics(MetricsEndpoint.open(port, "rollback guard"));
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
