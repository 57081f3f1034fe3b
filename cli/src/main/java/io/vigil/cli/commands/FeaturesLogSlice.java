package io.vigil.cli.commands;

import io.vigil.schemas.FeatureVector;
import io.vigil.schemas.Label;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.topics.TopicRegistry;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a training or evaluation run needs from Kafka: the feature-log rows with event time in
 * {@code [from, to)} and the labels that can matter for them (those of transactions in the window,
 * and every fraud label, which Card Precision@k uses to skip cards already known compromised).
 * Everything else is read and dropped, so a run over one week of a long log holds one week.
 */
record FeaturesLogSlice(
        Instant from,
        Instant to,
        List<FeatureVector> rows,
        List<Label> labels,
        FeaturesTopicReader.Summary featuresRead,
        FeaturesTopicReader.Summary labelsRead) {

    static FeaturesLogSlice read(
            FeaturesTopicReader reader, TopicRegistry topics, Instant from, Instant to) {
        List<Label> labels = new ArrayList<>();
        FeaturesTopicReader.Summary labelsRead =
                reader.read(
                        topics.labels().name(),
                        AvroSerde.of(Label.class),
                        l -> {
                            if (l.getIsFraud() || within(l.getTxEventTime(), from, to)) {
                                labels.add(l);
                            }
                        });
        List<FeatureVector> rows = new ArrayList<>();
        FeaturesTopicReader.Summary featuresRead =
                reader.read(
                        topics.features().name(),
                        AvroSerde.of(FeatureVector.class),
                        v -> {
                            if (within(v.getEventTime(), from, to)) {
                                rows.add(v);
                            }
                        });
        return new FeaturesLogSlice(from, to, rows, labels, featuresRead, labelsRead);
    }

    /**
     * The Fraud Detection Handbook's test set (section 3.4): without the transactions of cards
     * already known to be compromised on their day, that is with a fraud label reported (label
     * time) before the day starts, for a transaction since {@code knownSince} (the handbook starts
     * at the training period). Only those labels stay, so Card Precision@k then skips just the
     * cards detected earlier in the period, as the handbook's does.
     */
    FeaturesLogSlice withoutKnownCompromisedCards(Instant knownSince) {
        Map<String, Instant> firstKnown = new HashMap<>();
        List<Label> kept = new ArrayList<>();
        for (Label l : labels) {
            if (l.getTxEventTime().isBefore(knownSince)) {
                continue;
            }
            kept.add(l);
            if (l.getIsFraud()) {
                firstKnown.merge(
                        l.getCustomerId(), l.getLabelTime(), (x, y) -> x.isBefore(y) ? x : y);
            }
        }
        List<FeatureVector> unknown = new ArrayList<>();
        for (FeatureVector v : rows) {
            Instant known = firstKnown.get(v.getCustomerId());
            Instant day = v.getEventTime().truncatedTo(ChronoUnit.DAYS);
            if (known == null || !known.isBefore(day)) {
                unknown.add(v);
            }
        }
        return new FeaturesLogSlice(from, to, unknown, kept, featuresRead, labelsRead);
    }

    /** Feature-log rows with event time in {@code [a, b)}. */
    long rowsIn(Instant a, Instant b) {
        return rows.stream().filter(v -> within(v.getEventTime(), a, b)).count();
    }

    /** Fraud labels known at {@code cutoff} of transactions in {@code [a, b)}. */
    long fraudsKnownIn(Instant a, Instant b, Instant cutoff) {
        return labels.stream()
                .filter(l -> l.getIsFraud() && within(l.getTxEventTime(), a, b))
                .filter(l -> !l.getLabelTime().isAfter(cutoff))
                .map(Label::getTransactionId)
                .distinct()
                .count();
    }

    /**
     * Refuses a period the metrics cannot be computed on: without rows, or without a fraud label
     * known at the cut-off.
     *
     * @throws IllegalStateException naming the period, the cut-off and what was read
     */
    void requireLabelledRows(String period, Instant a, Instant b, Instant cutoff) {
        String where = period + " " + ModelViews.period(a, b);
        if (rowsIn(a, b) == 0) {
            throw new IllegalStateException(
                    "no feature-log rows in the "
                            + where
                            + " ("
                            + ModelTable.count(featuresRead.records())
                            + " rows read from "
                            + featuresRead.topic()
                            + ")");
        }
        if (fraudsKnownIn(a, b, cutoff) == 0) {
            throw new IllegalStateException(
                    "no fraud label known at the cut-off "
                            + cutoff
                            + " for transactions in the "
                            + where
                            + " ("
                            + ModelTable.count(labelsRead.records())
                            + " labels read from "
                            + labelsRead.topic()
                            + "): nothing to learn or measure with");
        }
    }

    void printSummary(PrintWriter out) {
        out.printf(
                Locale.ROOT,
                "read %,d feature-log rows from %s (%,d in %s, %,d malformed skipped)%n",
                featuresRead.records(),
                featuresRead.topic(),
                rows.size(),
                ModelViews.period(from, to),
                featuresRead.malformed());
        out.printf(
                Locale.ROOT,
                "read %,d labels from %s (%,d kept: of those transactions, or fraud; %,d"
                        + " malformed skipped)%n",
                labelsRead.records(),
                labelsRead.topic(),
                labels.size(),
                labelsRead.malformed());
        out.flush();
    }

    private static boolean within(Instant t, Instant a, Instant b) {
        return !t.isBefore(a) && t.isBefore(b);
    }
}
