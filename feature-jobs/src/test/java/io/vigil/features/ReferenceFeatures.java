package io.vigil.features;

import io.vigil.schemas.Label;
import io.vigil.schemas.Transaction;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The v1 features of a finished stream, computed the plain batch way the handbook describes: per
 * entity, sort by time and arrival, then binary-search each window. Independent of the job's
 * operators on purpose, so the ITCases compare two implementations.
 */
final class ReferenceFeatures {

    private static final long DAY = 86_400_000L;
    private static final long DELAY = 7 * DAY;
    private static final int[] WINDOWS = {1, 7, 30};

    /** One produced transaction; {@code seq} is its position in the produced stream. */
    record Tx(int seq, Transaction tx, boolean fraud, long labelTime) {
        long time() {
            return tx.getEventTime().toEpochMilli();
        }
    }

    private final List<Tx> txs = new ArrayList<>();
    private final Map<String, Label> fraudLabels = new HashMap<>();

    void transaction(Transaction tx) {
        txs.add(new Tx(txs.size(), tx, false, Long.MAX_VALUE));
    }

    /** The first fraud label of a transaction makes it count as fraud from its label time. */
    void label(Label label) {
        if (label.getIsFraud()) {
            fraudLabels.putIfAbsent(label.getTransactionId(), label);
        }
    }

    int size() {
        return txs.size();
    }

    Instant lastEventTime() {
        return txs.stream().map(t -> t.tx().getEventTime()).max(Instant::compareTo).orElseThrow();
    }

    /**
     * Every transaction with its fraud label applied, per customer or terminal id, in time and
     * arrival order.
     */
    Map<String, List<Tx>> byEntity(boolean byCustomer) {
        return groupBy(labelled(), byCustomer);
    }

    /** Feature log name → value, per transaction id. */
    Map<String, Map<String, Double>> compute() {
        List<Tx> labelled = labelled();
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (Tx t : labelled) {
            out.put(t.tx().getTransactionId(), new HashMap<>(request(t.tx())));
        }
        groupBy(labelled, true).values().forEach(list -> customer(list, out));
        groupBy(labelled, false).values().forEach(list -> terminal(list, out));
        return out;
    }

    private List<Tx> labelled() {
        List<Tx> labelled = new ArrayList<>();
        for (Tx t : txs) {
            Label label = fraudLabels.get(t.tx().getTransactionId());
            labelled.add(
                    label == null
                            ? t
                            : new Tx(t.seq(), t.tx(), true, label.getLabelTime().toEpochMilli()));
        }
        return labelled;
    }

    /** The transaction whose features each entity's Redis row must hold: its last one. */
    Map<String, Transaction> lastTransactionOf(boolean byCustomer) {
        Map<String, Transaction> last = new HashMap<>();
        groupBy(txs, byCustomer)
                .forEach((id, list) -> last.put(id, list.get(list.size() - 1).tx()));
        return last;
    }

    private static Map<String, List<Tx>> groupBy(List<Tx> all, boolean byCustomer) {
        Map<String, List<Tx>> groups = new HashMap<>();
        for (Tx t : all) {
            String key = byCustomer ? t.tx().getCustomerId() : t.tx().getTerminalId();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
        }
        Comparator<Tx> order = Comparator.comparingLong(Tx::time).thenComparingInt(Tx::seq);
        groups.values().forEach(list -> list.sort(order));
        return groups;
    }

    private static void customer(List<Tx> list, Map<String, Map<String, Double>> out) {
        long[] times = list.stream().mapToLong(Tx::time).toArray();
        long[] prefixCents = new long[list.size() + 1];
        for (int i = 0; i < list.size(); i++) {
            prefixCents[i + 1] = prefixCents[i] + list.get(i).tx().getAmount().getMinorUnits();
        }
        for (int i = 0; i < list.size(); i++) {
            Map<String, Double> f = out.get(list.get(i).tx().getTransactionId());
            for (int w : WINDOWS) {
                int from = firstAfter(times, times[i] - w * DAY);
                int count = i + 1 - from;
                double sum = (prefixCents[i + 1] - prefixCents[from]) / 100.0;
                f.put("customer_spending:nb_tx_" + w + "d", (double) count);
                f.put("customer_spending:avg_amount_" + w + "d", sum / count);
            }
        }
    }

    private static void terminal(List<Tx> list, Map<String, Map<String, Double>> out) {
        long[] times = list.stream().mapToLong(Tx::time).toArray();
        for (Tx t : list) {
            Map<String, Double> f = out.get(t.tx().getTransactionId());
            for (int w : WINDOWS) {
                int from = firstAfter(times, t.time() - DELAY - w * DAY);
                int to = firstAfter(times, t.time() - DELAY);
                int frauds = 0;
                for (int j = from; j < to; j++) {
                    if (list.get(j).fraud() && list.get(j).labelTime() <= t.time()) {
                        frauds++;
                    }
                }
                int count = to - from;
                f.put("terminal_risk:nb_tx_" + w + "d", (double) count);
                f.put("terminal_risk:risk_" + w + "d", count == 0 ? 0.0 : (double) frauds / count);
            }
        }
    }

    private static Map<String, Double> request(Transaction tx) {
        ZonedDateTime at = tx.getEventTime().atZone(ZoneOffset.UTC);
        boolean weekend =
                at.getDayOfWeek() == DayOfWeek.SATURDAY || at.getDayOfWeek() == DayOfWeek.SUNDAY;
        return Map.of(
                "request:tx_amount", tx.getAmount().getMinorUnits() / 100.0,
                "request:tx_during_weekend", weekend ? 1.0 : 0.0,
                "request:tx_during_night", at.getHour() <= 6 ? 1.0 : 0.0);
    }

    /** Index of the first time strictly after {@code bound} in sorted {@code times}. */
    private static int firstAfter(long[] times, long bound) {
        int i = Arrays.binarySearch(times, bound);
        if (i < 0) {
            return -i - 1;
        }
        while (i < times.length && times[i] == bound) {
            i++;
        }
        return i;
    }
}
