package io.vigil.cli.watch;

import io.vigil.schemas.ChallengerMode;
import io.vigil.schemas.Decision;
import io.vigil.schemas.ModelRole;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * What the decisions of one span of time add up to: how many, the job's own latency ({@code
 * latency.total_micros}), decisions per band and per deciding role, champion/challenger agreement
 * (same band, each by its own version's cut-offs; fallbacks left out) and the fallback reasons.
 * Duplicates (a repeated transaction id) and undecodable records are counted apart and add nothing
 * else.
 */
public final class DecisionSummary {

    private static final List<String> BAND_ORDER = List.of("approve", "review", "decline");

    private final BandResolver bands;
    private long decisions;
    private long duplicates;
    private long undecodable;
    private final Histogram totalMicros = new Histogram(3);
    private final Map<String, Long> byBand = new TreeMap<>(bandOrder());
    private final Map<ModelRole, Long> byRole = new EnumMap<>(ModelRole.class);
    private final Map<String, Long> fallbackReasons = new HashMap<>();
    private final Set<ChallengerMode> modes = EnumSet.noneOf(ChallengerMode.class);
    private long compared;
    private long agreed;
    private long uncomparable;

    public DecisionSummary(BandResolver bands) {
        this.bands = bands;
    }

    public void add(Decision d) {
        decisions++;
        totalMicros.recordValue(Math.max(0, d.getLatency().getTotalMicros()));
        byBand.merge(d.getBand(), 1L, Long::sum);
        byRole.merge(d.getDecidedBy(), 1L, Long::sum);
        if (d.getFallbackReason() != null) {
            fallbackReasons.merge(d.getFallbackReason(), 1L, Long::sum);
        }
        // A fallback has no model decision to agree with.
        if (d.getChallenger() != null && d.getDecidedBy() != ModelRole.FALLBACK) {
            modes.add(d.getChallengerMode());
            Optional<String> champion = bands.band(d.getChampion());
            Optional<String> challenger = bands.band(d.getChallenger());
            if (champion.isPresent() && challenger.isPresent()) {
                compared++;
                if (champion.get().equals(challenger.get())) {
                    agreed++;
                }
            } else {
                uncomparable++;
            }
        }
    }

    public void addDuplicate() {
        duplicates++;
    }

    public void addUndecodable() {
        undecodable++;
    }

    public long decisions() {
        return decisions;
    }

    /**
     * One line: rate over {@code seconds}, latency percentiles, bands, roles, agreement, the {@code
     * topReasons} most frequent fallback reasons, duplicates and undecodable records when any.
     */
    public String render(double seconds, int topReasons) {
        StringBuilder line = new StringBuilder();
        line.append(String.format(Locale.ROOT, "%,.0f decisions/s", decisions / seconds));
        if (decisions > 0) {
            line.append(
                    String.format(
                            Locale.ROOT,
                            "  latency p50 %.1f ms p99 %.1f ms",
                            totalMicros.getValueAtPercentile(50) / 1e3,
                            totalMicros.getValueAtPercentile(99) / 1e3));
            line.append(" | ").append(counts(byBand));
            Map<String, Long> roles = new LinkedHashMap<>();
            for (ModelRole role : ModelRole.values()) {
                roles.put(role.name().toLowerCase(Locale.ROOT), byRole.getOrDefault(role, 0L));
            }
            line.append(" | ").append(counts(roles));
            line.append(" | ").append(agreement());
            if (!fallbackReasons.isEmpty()) {
                line.append(" | fallbacks: ").append(counts(top(fallbackReasons, topReasons)));
            }
        }
        if (duplicates > 0) {
            line.append(String.format(Locale.ROOT, " | duplicates %,d", duplicates));
        }
        if (undecodable > 0) {
            line.append(String.format(Locale.ROOT, " | undecodable %,d", undecodable));
        }
        return line.toString();
    }

    private String agreement() {
        if (compared == 0 && uncomparable == 0) {
            return "no challenger";
        }
        String mode =
                modes.stream()
                        .map(m -> m.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining("/"));
        if (compared == 0) {
            return String.format(
                    Locale.ROOT,
                    "agreement ? (%s; %,d not comparable: no score or bands unknown)",
                    mode,
                    uncomparable);
        }
        return String.format(
                Locale.ROOT,
                "agreement %.1f%% of %,d (%s%s)",
                100.0 * agreed / compared,
                compared,
                mode,
                uncomparable == 0
                        ? ""
                        : String.format(Locale.ROOT, "; %,d not comparable", uncomparable));
    }

    private static Map<String, Long> top(Map<String, Long> counts, int n) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(
                Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()));
        Map<String, Long> top = new LinkedHashMap<>();
        entries.stream().limit(n).forEach(e -> top.put(e.getKey(), e.getValue()));
        if (entries.size() > n) {
            top.put(
                    "other",
                    entries.subList(n, entries.size()).stream()
                            .mapToLong(Map.Entry::getValue)
                            .sum());
        }
        return top;
    }

    private static String counts(Map<String, Long> counts) {
        return counts.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue()))
                .collect(Collectors.joining("  "));
    }

    // approve, review, decline first, then any other band by name.
    private static Comparator<String> bandOrder() {
        return Comparator.<String>comparingInt(
                        b -> BAND_ORDER.contains(b) ? BAND_ORDER.indexOf(b) : BAND_ORDER.size())
                .thenComparing(Comparator.naturalOrder());
    }
}
