package io.vigil.trainer.evaluation;

import io.vigil.schemas.Label;
import io.vigil.trainer.dataset.TrainingSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Card Precision@k (Fraud Detection Handbook, section 4.2): investigators can check k cards a day.
 * For every UTC day, each customer's score is the highest score of their transactions that day and
 * their label the highest label; the k customers with the highest scores are checked, and the day's
 * precision is the share of them that were compromised (always divided by k). The result is the
 * mean over days.
 *
 * <p>Cards already known to be compromised are not checked again: a customer is left out of day D
 * if the handbook's investigators found them (in a previous day's top k, fraudulent), or if a fraud
 * label for them became known before D starts.
 */
public final class CardPrecisionAtK {

    /** One day: its precision and how many compromised cards were still there to find. */
    public record Day(LocalDate date, double precision, int compromisedCards) {}

    /** Per-day values in date order and their mean. */
    public record Result(int k, List<Day> days, double mean) {}

    private CardPrecisionAtK() {}

    /**
     * @param fraudKnownAt per customer, when a fraud label for them first became known (empty to
     *     apply only the handbook's rule); see {@link #fraudKnownAt(Iterable)}
     */
    public static Result compute(
            TrainingSet rows, double[] scores, int k, Map<String, Instant> fraudKnownAt) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        if (scores.length != rows.size()) {
            throw new IllegalArgumentException(
                    scores.length + " scores for " + rows.size() + " rows");
        }
        Map<LocalDate, List<Integer>> byDay = new TreeMap<>();
        for (int i = 0; i < rows.size(); i++) {
            byDay.computeIfAbsent(
                            LocalDate.ofInstant(rows.eventTime(i), ZoneOffset.UTC),
                            d -> new ArrayList<>())
                    .add(i);
        }
        Set<String> detected = new HashSet<>();
        List<Day> days = new ArrayList<>();
        for (Map.Entry<LocalDate, List<Integer>> day : byDay.entrySet()) {
            Instant start = day.getKey().atStartOfDay(ZoneOffset.UTC).toInstant();
            Map<String, CardDay> cards = new HashMap<>();
            for (int i : day.getValue()) {
                String customer = rows.customerId(i);
                Instant known = fraudKnownAt.get(customer);
                if (detected.contains(customer) || (known != null && known.isBefore(start))) {
                    continue;
                }
                cards.computeIfAbsent(customer, CardDay::new).add(scores[i], rows.labels()[i]);
            }
            List<CardDay> ranked = new ArrayList<>(cards.values());
            ranked.sort(
                    Comparator.comparingDouble((CardDay c) -> -c.maxScore)
                            .thenComparing(c -> c.customer));
            int hits = 0;
            for (CardDay card : ranked.subList(0, Math.min(k, ranked.size()))) {
                if (card.compromised) {
                    hits++;
                    detected.add(card.customer);
                }
            }
            int compromised = (int) ranked.stream().filter(c -> c.compromised).count();
            days.add(new Day(day.getKey(), (double) hits / k, compromised));
        }
        double mean = days.stream().mapToDouble(Day::precision).average().orElse(Double.NaN);
        return new Result(k, List.copyOf(days), mean);
    }

    /** Per customer, the earliest label time of a fraud label. */
    public static Map<String, Instant> fraudKnownAt(Iterable<Label> labels) {
        Map<String, Instant> known = new HashMap<>();
        for (Label label : labels) {
            if (label.getIsFraud()) {
                known.merge(
                        label.getCustomerId(),
                        label.getLabelTime(),
                        (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        return known;
    }

    private static final class CardDay {
        final String customer;
        double maxScore = Double.NEGATIVE_INFINITY;
        boolean compromised;

        CardDay(String customer) {
            this.customer = customer;
        }

        void add(double score, int label) {
            maxScore = Math.max(maxScore, score);
            compromised |= label == 1;
        }
    }
}
