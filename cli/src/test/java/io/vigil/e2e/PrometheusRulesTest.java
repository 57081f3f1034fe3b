package io.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.e2e.PrometheusExpressions.Expression;
import io.vigil.e2e.PrometheusExpressions.Rule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus side of the repository without a server: promtool checks the configs and rule
 * files and runs the rule unit tests of {@code infra/prometheus/tests}; every dashboard query must
 * parse, use the provisioned datasource and name only metrics that exist (the scoring job's
 * contract, recording rules, Flink's reporter). promtool comes with Debian's prometheus package,
 * installed through {@code infra/bin/ensure-deb.sh} when missing (as root).
 */
class PrometheusRulesTest {

    /**
     * What the scoring job, the drift job, the review queue, the retrainer and the rollback guard
     * export (docs/observability.md), without the histogram suffixes.
     */
    private static final Set<String> SERVICE_METRICS =
            Set.of(
                    "vigil_e2e_latency_seconds",
                    "vigil_feature_lookup_seconds",
                    "vigil_model_inference_seconds",
                    "vigil_model_score",
                    "vigil_decisions_total",
                    "vigil_challenger_agreement_total",
                    "vigil_fallback_total",
                    "vigil_dead_letter_total",
                    "vigil_model_swaps_total",
                    "vigil_model_info",
                    "vigil_drift_psi",
                    "vigil_drift_ks",
                    "vigil_drift_alerts_total",
                    "vigil_drift_window_samples",
                    "vigil_drift_windows_total",
                    "vigil_drift_late_decisions_total",
                    "vigil_reviews_pending",
                    "vigil_reviews_total",
                    "vigil_retrain_requests_total",
                    "vigil_drift_alerts_received_total",
                    "vigil_retrain_runs_total",
                    "vigil_retrain_duration_seconds",
                    "vigil_retrain_last_success_timestamp_seconds",
                    "vigil_guard_decisions_total",
                    "vigil_guard_malformed_total",
                    "vigil_guard_window_inferences",
                    "vigil_guard_error_rate",
                    "vigil_guard_decline_rate",
                    "vigil_guard_breaches_total",
                    "vigil_guard_last_evaluation_timestamp_seconds",
                    "vigil_guard_evaluation_failures_total");

    private static final Pattern VIGIL_NAME = Pattern.compile("\\bvigil[_:][A-Za-z0-9_:]*");

    @BeforeAll
    static void promtoolIsInstalled() throws Exception {
        Run ensure =
                run(
                        Map.of(),
                        PrometheusExpressions.REPO.resolve("infra/bin/ensure-deb.sh").toString(),
                        "promtool",
                        "prometheus");
        assertThat(ensure.exitCode())
                .as("ensure-deb.sh promtool prometheus: " + ensure.output())
                .isZero();
    }

    @Test
    void ruleFilesAreValid() throws Exception {
        Run check = promtool("check", "rules", PrometheusExpressions.ruleFiles());

        assertThat(check.exitCode()).as(check.output()).isZero();
    }

    @Test
    void ruleUnitTestsPass() throws Exception {
        Run test = promtool("test", "rules", PrometheusExpressions.ruleTestFiles());

        assertThat(test.exitCode()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS").doesNotContain("FAILED");
    }

    @Test
    void everyAlertHasAUnitTest() throws Exception {
        StringBuilder tests = new StringBuilder();
        for (Path file : PrometheusExpressions.ruleTestFiles()) {
            tests.append(Files.readString(file));
        }
        for (Rule rule : PrometheusExpressions.rules()) {
            if (rule.alert()) {
                assertThat(tests.toString())
                        .as(rule.source() + " is tested in infra/prometheus/tests")
                        .contains("alertname: " + rule.name() + "\n");
            }
        }
    }

    @Test
    void localConfigRendersWithTheStackPorts(@TempDir Path home) throws Exception {
        Path config = home.resolve("prometheus.yml");
        Run render =
                run(
                        Map.of(
                                "VIGIL_HOME", home.toString(),
                                "VIGIL_FLINK_PROM_PORTS", "19249-19251",
                                "VIGIL_SCORING_METRICS_PORT", "19260",
                                "VIGIL_DRIFT_METRICS_PORT", "19261",
                                "VIGIL_REVIEW_PORT", "18090",
                                "VIGIL_RETRAIN_METRICS_PORT", "19262",
                                "VIGIL_GUARD_METRICS_PORT", "19263"),
                        PrometheusExpressions.REPO.resolve("infra/bin/prometheus.sh").toString(),
                        "render",
                        config.toString());
        assertThat(render.exitCode()).as(render.output()).isZero();

        JsonNode jobs =
                new ObjectMapper(new YAMLFactory())
                        .readTree(config.toFile())
                        .path("scrape_configs");
        assertThat(targets(jobs, "flink"))
                .containsExactly("127.0.0.1:19249", "127.0.0.1:19250", "127.0.0.1:19251");
        assertThat(targets(jobs, "vigil-scoring")).containsExactly("127.0.0.1:19260");
        assertThat(targets(jobs, "vigil-drift")).containsExactly("127.0.0.1:19261");
        assertThat(targets(jobs, "vigil-review")).containsExactly("127.0.0.1:18090");
        assertThat(targets(jobs, "vigil-retrain")).containsExactly("127.0.0.1:19262");
        assertThat(targets(jobs, "vigil-guard")).containsExactly("127.0.0.1:19263");
        // check config also loads the rule files it names (absolute paths into the checkout).
        Run check = promtool("check", "config", List.of(config));
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("rules found");
    }

    @Test
    void aPortRangeThatIsNotOneIsRefused(@TempDir Path home) throws Exception {
        Run render =
                run(
                        Map.of("VIGIL_HOME", home.toString(), "VIGIL_FLINK_PROM_PORTS", "9249-x"),
                        PrometheusExpressions.REPO.resolve("infra/bin/prometheus.sh").toString(),
                        "render",
                        home.resolve("prometheus.yml").toString());

        assertThat(render.exitCode()).isEqualTo(64);
        assertThat(render.output()).contains("VIGIL_FLINK_PROM_PORTS").contains("9249-x");
    }

    @Test
    void composeConfigIsValid() throws Exception {
        Run check =
                promtool(
                        "check",
                        "config",
                        List.of(
                                PrometheusExpressions.REPO.resolve(
                                        "infra/prometheus/prometheus.yml")));

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("rules found");
    }

    /**
     * promtool parses PromQL only in rules: every query the E2E case runs (dashboards, rules,
     * recorded series, alert signals) becomes a recording rule.
     */
    @Test
    void everyQueryParses(@TempDir Path dir) throws Exception {
        List<Expression> queries = PrometheusExpressions.queriesWithData();
        StringBuilder rules = new StringBuilder("groups:\n  - name: queries\n    rules:\n");
        for (int i = 0; i < queries.size(); i++) {
            rules.append("      - record: query_")
                    .append(i)
                    .append("\n        expr: ")
                    .append(new ObjectMapper().writeValueAsString(queries.get(i).promql()))
                    .append('\n');
        }
        Path file = dir.resolve("queries.yml");
        Files.writeString(file, rules);

        Run check = promtool("check", "rules", List.of(file));

        List<String> legend = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            legend.add("query_" + i + " = " + queries.get(i).source());
        }
        assertThat(check.exitCode()).as(check.output() + "\n" + String.join("\n", legend)).isZero();
        assertThat(queries).hasSizeGreaterThan(80);
    }

    @Test
    void dashboardsAndRulesNameOnlyMetricsThatExist() throws Exception {
        Set<String> recorded = new HashSet<>();
        List<Expression> uses = new ArrayList<>(PrometheusExpressions.dashboardExpressions());
        for (Rule rule : PrometheusExpressions.rules()) {
            if (!rule.alert()) {
                recorded.add(rule.name());
            }
            uses.add(new Expression(rule.source(), rule.expr()));
        }

        Set<String> unknown = new TreeSet<>();
        for (Expression use : uses) {
            Matcher name = VIGIL_NAME.matcher(use.promql());
            while (name.find()) {
                String metric = name.group().replaceFirst("_(bucket|sum|count)$", "");
                if (!SERVICE_METRICS.contains(metric) && !recorded.contains(name.group())) {
                    unknown.add(name.group() + " in " + use.source());
                }
            }
        }
        assertThat(unknown)
                .as("neither a metric of a Vigil job or service nor a recording rule")
                .isEmpty();
    }

    @Test
    void dashboardsQueryTheProvisionedDatasource() throws Exception {
        JsonNode provisioning =
                new ObjectMapper(new YAMLFactory())
                        .readTree(
                                PrometheusExpressions.REPO
                                        .resolve(
                                                "infra/grafana/provisioning/datasources/prometheus.yml")
                                        .toFile());
        String uid = provisioning.at("/datasources/0/uid").asText();
        assertThat(uid).isNotEmpty();

        for (Path file : PrometheusExpressions.dashboardFiles()) {
            JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
            Set<Integer> ids = new HashSet<>();
            assertThat(dashboard.path("uid").asText()).as(file + " uid").isNotEmpty();
            for (JsonNode panel : dashboard.path("panels")) {
                String where = file.getFileName() + " panel " + panel.path("title").asText();
                assertThat(ids.add(panel.path("id").asInt())).as(where + ": unique id").isTrue();
                assertThat(panel.at("/datasource/uid").asText()).as(where).isEqualTo(uid);
                assertThat(panel.path("targets").size()).as(where + " targets").isPositive();
                for (JsonNode target : panel.path("targets")) {
                    assertThat(target.at("/datasource/uid").asText()).as(where).isEqualTo(uid);
                }
            }
        }
    }

    @Test
    void theSignalOfAnAlertIsTheSideBeforeItsThreshold() {
        assertThat(PrometheusExpressions.withoutThreshold("up{job=~\"a|b\"} == 0"))
                .isEqualTo("up{job=~\"a|b\"}");
        assertThat(
                        PrometheusExpressions.withoutThreshold(
                                "sum by (job) (rate(x{a!=\"<\"}[5m])) / sum(rate(y[5m])) > 0.01"))
                .isEqualTo("sum by (job) (rate(x{a!=\"<\"}[5m])) / sum(rate(y[5m]))");
        assertThat(
                        PrometheusExpressions.withoutThreshold(
                                "sum(increase(x[10m])) > 0\nor\nsum(x > 0 unless x offset 10m)"))
                .isEqualTo("sum(increase(x[10m]))");
        assertThat(PrometheusExpressions.withoutThreshold("max(x) <= 2")).isEqualTo("max(x)");
        assertThat(PrometheusExpressions.withoutThreshold("max(x) != 2")).isEqualTo("max(x)");
        assertThat(PrometheusExpressions.withoutThreshold("rate(x[1m])")).isEqualTo("rate(x[1m])");
        assertThatThrownBy(() -> PrometheusExpressions.withoutThreshold("x{a=\"b} > 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unterminated");
    }

    private static List<String> targets(JsonNode scrapeConfigs, String job) {
        List<String> targets = new ArrayList<>();
        for (JsonNode config : scrapeConfigs) {
            if (config.path("job_name").asText().equals(job)) {
                config.at("/static_configs/0/targets").forEach(t -> targets.add(t.asText()));
            }
        }
        return targets;
    }

    private static Run promtool(String command, String what, List<Path> files) throws Exception {
        List<String> args = new ArrayList<>(List.of("promtool", command, what));
        files.forEach(f -> args.add(f.toString()));
        return run(Map.of(), args.toArray(String[]::new));
    }

    private record Run(int exitCode, String output) {}

    private static Run run(Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(PrometheusExpressions.REPO.toFile())
                        .redirectErrorStream(true);
        builder.environment().putAll(env);
        Path log = Files.createTempFile("prometheus-rules-", ".log");
        builder.redirectOutput(log.toFile());
        try {
            Process process = builder.start();
            // An apt-get install by ensure-deb.sh can take a minute or two on a fresh machine.
            boolean done = process.waitFor(5, TimeUnit.MINUTES);
            if (!done) {
                process.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (!done) {
                throw new AssertionError(String.join(" ", command) + " did not finish:\n" + output);
            }
            return new Run(process.exitValue(), output);
        } finally {
            Files.delete(log);
        }
    }
}
