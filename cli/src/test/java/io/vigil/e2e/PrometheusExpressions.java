package io.vigil.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The PromQL that Vigil ships, read from the repository: every query target of the Grafana
 * dashboards ({@code infra/grafana/dashboards/*.json}) and every rule of {@code
 * infra/prometheus/rules/*.yml}, each named by where it is defined. Shared by the promtool checks
 * ({@link PrometheusRulesTest}) and the real-Prometheus run ({@link PrometheusE2ECase}).
 */
final class PrometheusExpressions {

    /** A query and where it is defined (file, panel, target), for failure messages. */
    record Expression(String source, String promql) {}

    /**
     * A recording rule ({@code alert == false}, name = the recorded metric) or an alert rule, with
     * the labels the rule adds.
     */
    record Rule(
            String source, String name, boolean alert, String expr, Map<String, String> labels) {

        /** The series a recording rule writes: its name and its own labels. */
        String recordedSeries() {
            StringBuilder selector = new StringBuilder(name).append('{');
            labels.forEach((k, v) -> selector.append(k).append("=\"").append(v).append("\","));
            return selector.append('}').toString();
        }
    }

    static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
    static final Path DASHBOARDS = REPO.resolve("infra/grafana/dashboards");
    static final Path RULES = REPO.resolve("infra/prometheus/rules");
    static final Path RULE_TESTS = REPO.resolve("infra/prometheus/tests");

    /**
     * Grafana's interval variables as Grafana resolves them for a 5 s scrape interval and the
     * dashboards' 30 min range, at most; a dashboard using any other variable fails the checks, as
     * they could not run its queries.
     */
    private static final Map<String, String> GRAFANA_VARIABLES =
            Map.of("$__rate_interval", "1m", "$__interval", "15s", "$__range", "30m");

    private static final Pattern VARIABLE = Pattern.compile("\\$(\\{[^}]*}|\\w+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private PrometheusExpressions() {}

    static List<Path> dashboardFiles() throws IOException {
        return sortedFiles(DASHBOARDS, ".json");
    }

    static List<Path> ruleFiles() throws IOException {
        return sortedFiles(RULES, ".yml");
    }

    static List<Path> ruleTestFiles() throws IOException {
        return sortedFiles(RULE_TESTS, ".yml");
    }

    /** Every target's {@code expr} of every dashboard, with Grafana's variables resolved. */
    static List<Expression> dashboardExpressions() throws IOException {
        List<Expression> expressions = new ArrayList<>();
        for (Path file : dashboardFiles()) {
            for (JsonNode panel : JSON.readTree(file.toFile()).path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    String source =
                            String.format(
                                    "%s panel %s \"%s\" target %s",
                                    file.getFileName(),
                                    panel.path("id").asText(),
                                    panel.path("title").asText(),
                                    target.path("refId").asText());
                    if (!target.hasNonNull("expr")) {
                        throw new IllegalArgumentException(source + " has no expr");
                    }
                    expressions.add(
                            new Expression(source, resolve(source, target.get("expr").asText())));
                }
            }
        }
        return expressions;
    }

    /** Every recording and alert rule of the rule files. */
    static List<Rule> rules() throws IOException {
        List<Rule> rules = new ArrayList<>();
        for (Path file : ruleFiles()) {
            for (JsonNode group : YAML.readTree(file.toFile()).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    boolean alert = rule.has("alert");
                    String name = rule.path(alert ? "alert" : "record").asText();
                    Map<String, String> labels = new TreeMap<>();
                    rule.path("labels")
                            .fields()
                            .forEachRemaining(l -> labels.put(l.getKey(), l.getValue().asText()));
                    rules.add(
                            new Rule(
                                    file.getFileName()
                                            + " group "
                                            + group.path("name").asText()
                                            + (alert ? " alert " : " record ")
                                            + name,
                                    name,
                                    alert,
                                    rule.path("expr").asText().strip(),
                                    labels));
                }
            }
        }
        return rules;
    }

    /**
     * What a running Prometheus must answer with data: every dashboard query, every recording
     * rule's expression and the series it records, and every alert's signal ({@link
     * #withoutThreshold}).
     */
    static List<Expression> queriesWithData() throws IOException {
        List<Expression> queries = new ArrayList<>(dashboardExpressions());
        for (Rule rule : rules()) {
            if (rule.alert()) {
                queries.add(
                        new Expression(
                                rule.source() + " without its threshold",
                                withoutThreshold(rule.expr())));
            } else {
                queries.add(new Expression(rule.source(), rule.expr()));
                queries.add(
                        new Expression(rule.source() + ", recorded series", rule.recordedSeries()));
            }
        }
        return queries;
    }

    /**
     * The signal an alert compares with its threshold: the text before the first comparison at the
     * top level ({@code A > 0.1 or B} gives {@code A}); an expression without one is returned as
     * is. Comparisons inside parentheses, brackets, label matchers and strings do not count.
     */
    static String withoutThreshold(String expr) {
        int depth = 0;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            char next = i + 1 < expr.length() ? expr.charAt(i + 1) : ' ';
            switch (c) {
                case '(', '[', '{' -> depth++;
                case ')', ']', '}' -> depth--;
                case '"', '\'', '`' -> i = expr.indexOf(c, i + 1);
                default -> {
                    boolean comparison =
                            c == '>'
                                    || c == '<'
                                    || (c == '=' && next == '=')
                                    || (c == '!' && next == '=');
                    if (depth == 0 && comparison) {
                        return expr.substring(0, i).strip();
                    }
                }
            }
            if (i < 0) {
                throw new IllegalArgumentException("unterminated string in " + expr);
            }
        }
        return expr.strip();
    }

    private static String resolve(String source, String expr) {
        String resolved = expr;
        for (Map.Entry<String, String> variable : GRAFANA_VARIABLES.entrySet()) {
            resolved = resolved.replace(variable.getKey(), variable.getValue());
        }
        Matcher unknown = VARIABLE.matcher(resolved);
        if (unknown.find()) {
            throw new IllegalArgumentException(
                    source
                            + " uses "
                            + unknown.group()
                            + ", which the checks cannot resolve (known: "
                            + GRAFANA_VARIABLES.keySet()
                            + ")");
        }
        return resolved;
    }

    private static List<Path> sortedFiles(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found =
                    files.filter(f -> f.getFileName().toString().endsWith(suffix))
                            .sorted()
                            .toList();
            if (found.isEmpty()) {
                throw new IOException("no *" + suffix + " file in " + dir);
            }
            return found;
        }
    }
}
