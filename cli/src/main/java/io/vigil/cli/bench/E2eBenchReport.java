package io.vigil.cli.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The output of {@code vigil bench e2e}: a table row per rate as soon as it is measured, the
 * floors, the ratio of e2e p99 to the sum of the floors' p99s, and at the end one JSON object per
 * line for each figure set ({@code "bench": "e2e" | "kafka-floor" | "redis-floor" | "onnx-floor" |
 * "floor-ratio"}), milliseconds as numbers, null where nothing was measured.
 */
public final class E2eBenchReport {

    /** The target: e2e p99 at most twice the sum of the floors' p99s. */
    public static final double TARGET_RATIO = 2.0;

    private static final String ROW = "%8s %9s %10s %9s %9s %9s %9s %8s %6s %10s %10s %10s %9s%n";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintWriter out;
    private final boolean timeline;
    private final List<String> machineLines = new ArrayList<>();

    /**
     * @param timeline also one JSON object per timeline interval of each rate ({@code "bench":
     *     "<kind>-interval"})
     */
    public E2eBenchReport(PrintWriter out, boolean timeline) {
        this.out = out;
        this.timeline = timeline;
    }

    public void line(String text) {
        out.println(text);
        out.flush();
    }

    /** A title and the column header of a latency table. */
    public void tableHeader(String title) {
        out.println(title);
        out.printf(
                Locale.ROOT,
                ROW,
                "rate/s",
                "sent/s",
                "answers/s",
                "p50 ms",
                "p99 ms",
                "p99.9 ms",
                "max ms",
                "missing",
                "dup",
                "queue p99",
                "lookup p99",
                "infer p99",
                "fallback");
        out.flush();
    }

    /** One rate's row; {@code kind} names its machine-readable line ("e2e", "kafka-floor"). */
    public void row(String kind, PhaseResult r) {
        out.printf(
                Locale.ROOT,
                ROW,
                count(r.targetRate()),
                count(r.achievedRate()),
                count(r.responseRate()),
                ms(r.e2e().p50Ms()),
                ms(r.e2e().p99Ms()),
                ms(r.e2e().p999Ms()),
                ms(r.e2e().maxMs()),
                String.format(Locale.ROOT, "%,d", r.missing()),
                String.format(Locale.ROOT, "%,d", r.duplicates()),
                ms(r.queue().p99Ms()),
                ms(r.lookup().p99Ms()),
                ms(r.inference().p99Ms()),
                Double.isNaN(r.fallbackShare()) || r.queue().count() == 0
                        ? "-"
                        : String.format(Locale.ROOT, "%.1f%%", 100 * r.fallbackShare()));
        if (r.fallbacks() > 0) {
            out.printf(
                    Locale.ROOT,
                    "%8s fallback reasons: %s%n",
                    "",
                    r.fallbackReasons().entrySet().stream()
                            .map(
                                    e ->
                                            String.format(
                                                    Locale.ROOT,
                                                    "%s %,d",
                                                    e.getKey(),
                                                    e.getValue()))
                            .collect(Collectors.joining(", ")));
        }
        out.flush();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("bench", kind);
        json.put("rate", r.targetRate());
        json.put("sent", r.sent());
        json.put("produce_rate", round(r.achievedRate()));
        json.put("responses", r.responses());
        json.put("response_rate", round(r.responseRate()));
        json.put("missing", r.missing());
        json.put("duplicates", r.duplicates());
        putPercentiles(json, r.e2e());
        json.put("queue_p99_ms", number(r.queue().p99Ms()));
        json.put("lookup_p99_ms", number(r.lookup().p99Ms()));
        json.put("inference_p99_ms", number(r.inference().p99Ms()));
        json.put("job_total_p99_ms", number(r.jobTotal().p99Ms()));
        json.put("fallback_share", number(r.fallbackShare()));
        json.put("fallback_reasons", r.fallbackReasons());
        json.put("decided_by", r.decidedBy());
        json.put("max_send_lag_ms", number(r.maxSendLagMs()));
        machineLines.add(json(json));
        if (timeline) {
            PhaseResult.Timeline t = r.timeline();
            for (int i = 0; i < t.intervals().size(); i++) {
                Map<String, Object> interval = new LinkedHashMap<>();
                interval.put("bench", kind + "-interval");
                interval.put("rate", r.targetRate());
                interval.put(
                        "interval_start",
                        Instant.ofEpochMilli(t.startEpochMillis() + t.intervalMillis() * i)
                                .toString());
                interval.put("interval_s", t.intervalMillis() / 1e3);
                interval.put("responses", t.intervals().get(i).count());
                putPercentiles(interval, t.intervals().get(i));
                machineLines.add(json(interval));
            }
        }
    }

    public void redisFloor(RedisLookupFloor.Result r, int iterations) {
        out.printf(
                Locale.ROOT,
                "floor (b) Redis: one pipelined HMGET of customer_spending + terminal_risk, %,d"
                        + " lookups over %,d entities (of %,d sampled): p50 %s ms  p99 %s ms"
                        + "  p99.9 %s ms  max %s ms%n",
                iterations,
                r.entities(),
                r.candidates(),
                ms(r.latency().p50Ms()),
                ms(r.latency().p99Ms()),
                ms(r.latency().p999Ms()),
                ms(r.latency().maxMs()));
        out.flush();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("bench", "redis-floor");
        json.put("lookups", iterations);
        json.put("entities", r.entities());
        putPercentiles(json, r.latency());
        machineLines.add(json(json));
    }

    public void onnxFloor(List<OnnxInferenceFloor.Result> results, int iterations) {
        for (OnnxInferenceFloor.Result r : results) {
            out.printf(
                    Locale.ROOT,
                    "floor (c) ONNX: %s %s %s, %,d single-row inferences: p50 %s ms  p99 %s ms"
                            + "  p99.9 %s ms  max %s ms%n",
                    r.role().role(),
                    r.role().model(),
                    r.role().version(),
                    iterations,
                    ms(r.latency().p50Ms()),
                    ms(r.latency().p99Ms()),
                    ms(r.latency().p999Ms()),
                    ms(r.latency().maxMs()));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("bench", "onnx-floor");
            json.put("role", r.role().role());
            json.put("model", r.role().model());
            json.put("version", r.role().version());
            json.put("inferences", iterations);
            putPercentiles(json, r.latency());
            machineLines.add(json(json));
        }
        out.flush();
    }

    /**
     * Per rate: e2e p99 against the sum of the floors' p99s (Kafka at that rate, one lookup, one
     * inference per model).
     */
    public void ratios(
            List<PhaseResult> e2e,
            List<PhaseResult> kafka,
            RedisLookupFloor.Result redis,
            List<OnnxInferenceFloor.Result> onnx) {
        double onnxSum = onnx.stream().mapToDouble(r -> r.latency().p99Ms()).sum();
        out.printf(
                Locale.ROOT,
                "e2e p99 / sum of the floors' p99 (target ≤ %.0f):%n%8s %9s %9s %9s %9s %9s %7s%n",
                TARGET_RATIO,
                "rate/s",
                "e2e p99",
                "kafka p99",
                "redis p99",
                "onnx p99",
                "floor sum",
                "ratio");
        for (int i = 0; i < Math.min(e2e.size(), kafka.size()); i++) {
            PhaseResult e = e2e.get(i);
            double kafkaP99 = kafka.get(i).e2e().p99Ms();
            double sum = kafkaP99 + redis.latency().p99Ms() + onnxSum;
            double ratio = e.e2e().p99Ms() / sum;
            out.printf(
                    Locale.ROOT,
                    "%8s %9s %9s %9s %9s %9s %7s  %s%n",
                    count(e.targetRate()),
                    ms(e.e2e().p99Ms()),
                    ms(kafkaP99),
                    ms(redis.latency().p99Ms()),
                    ms(onnxSum),
                    ms(sum),
                    Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f", ratio),
                    Double.isNaN(ratio) ? "" : ratio <= TARGET_RATIO ? "met" : "NOT met");
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("bench", "floor-ratio");
            json.put("rate", e.targetRate());
            json.put("e2e_p99_ms", number(e.e2e().p99Ms()));
            json.put("kafka_p99_ms", number(kafkaP99));
            json.put("redis_p99_ms", number(redis.latency().p99Ms()));
            json.put("onnx_p99_ms", number(onnxSum));
            json.put("floor_sum_p99_ms", number(sum));
            json.put("ratio", number(ratio));
            json.put("target", TARGET_RATIO);
            machineLines.add(json(json));
        }
        out.flush();
    }

    /** The JSON lines of everything measured so far, under a one-line heading. */
    public void machineReadable() {
        if (machineLines.isEmpty()) {
            return;
        }
        out.println("machine-readable (one JSON object per line):");
        machineLines.forEach(out::println);
        out.flush();
    }

    private static void putPercentiles(Map<String, Object> json, Percentiles p) {
        json.put("p50_ms", number(p.p50Ms()));
        json.put("p99_ms", number(p.p99Ms()));
        json.put("p999_ms", number(p.p999Ms()));
        json.put("max_ms", number(p.maxMs()));
    }

    private static String json(Map<String, Object> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + fields + " as JSON", e);
        }
    }

    // Microsecond resolution is all the histograms hold; NaN (nothing measured) becomes null.
    private static Double number(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : Math.round(v * 1e3) / 1e3;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static String ms(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, v < 10 ? "%.3f" : "%.1f", v);
    }

    private static String count(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }
}
