package io.vigil.scoring.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.features.FeatureDefinitions;
import io.vigil.schemas.history.OnlineStoreReset;
import io.vigil.schemas.history.WindowHistorySnapshot;
import io.vigil.scoring.records.TerminalFraudLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The vector from a Redis snapshot plus the job's recent transactions and labels equals a plain
 * computation of the v1 definitions over the entity's whole history, for snapshots behind and
 * (customers) ahead of the transaction.
 */
class ExactFeatureVectorTest {

    private static final long DAY = FeatureDefinitions.DAY_MILLIS;
    private static final long DELAY = FeatureDefinitions.TERMINAL_DELAY_MILLIS;
    private static final long MARGIN = 10 * 60_000L;
    private static final long T0 = 1_525_132_800_000L; // 2018-05-01

    private record Tx(long time, long amount, boolean fraud, long labelTime) {}

    @Test
    void equalsTheDefinitionsForRandomHistoriesWithSnapshotsBehindAndAhead() {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            List<Tx> customer = history(random, 200, 60 * DAY, 5 * 60_000L);
            List<Tx> terminal = history(random, 300, 60 * DAY, 0);
            int j = customer.size() / 2 + random.nextInt(customer.size() / 2);
            Tx current = customer.get(j);
            long t = current.time;

            // Redis behind by up to a few minutes, or (customers) ahead by up to the margin.
            long asOf = t - 300_000 + random.nextInt(300_000 + (int) MARGIN);
            long cut = Math.min(asOf, t - 1);
            long evictedThrough = cut - random.nextInt(120_000);
            WindowHistorySnapshot customerSnapshot =
                    snapshot(
                            customer,
                            asOf,
                            FeatureDefinitions.CUSTOMER_RETENTION_MILLIS,
                            false,
                            asOf);
            long[][] recent = recent(customer, j, evictedThrough);
            long terminalAsOf = t - random.nextInt(300_000);
            WindowHistorySnapshot terminalSnapshot =
                    snapshot(
                            terminal,
                            terminalAsOf,
                            FeatureDefinitions.TERMINAL_RETENTION_MILLIS,
                            true,
                            terminalAsOf);
            TerminalFraudLabels labels = new TerminalFraudLabels();
            for (int i = 0; i < terminal.size(); i++) {
                Tx tx = terminal.get(i);
                if (tx.fraud) {
                    labels.add("tx" + i, tx.time, tx.labelTime, 0);
                }
            }

            ExactFeatureVector.Result result =
                    ExactFeatureVector.compute(
                            t,
                            current.amount,
                            recent[0],
                            recent[1],
                            evictedThrough,
                            OnlineStoreReset.NEVER,
                            customerSnapshot,
                            terminalSnapshot,
                            labels);

            assertThat(result.problem()).isNull();
            double[] expected = expected(customer, j, terminal, t);
            for (int i = 0; i < expected.length; i++) {
                assertThat(result.values()[i])
                        .as("%s in round %d", ExactFeatureVector.NAMES.get(i), round)
                        .isCloseTo(expected[i], within(1e-9));
            }
            assertThat(result.customerAgeMillis()).isEqualTo(t - asOf);
        }
    }

    @Test
    void aNewCustomerWithoutSnapshotCountsItsRecentTransactionsOnly() {
        long t = T0 + DAY;
        ExactFeatureVector.Result result =
                ExactFeatureVector.compute(
                        t,
                        1_000,
                        new long[] {t - 2 * DAY, t - 1000, t},
                        new long[] {500, 2_000, 1_000},
                        Long.MIN_VALUE,
                        OnlineStoreReset.NEVER,
                        null,
                        null,
                        null);

        assertThat(result.problem()).isNull();
        // (t − 1 d, t]: the last two; (t − 7 d, t]: all three.
        assertThat(result.values()[0]).isEqualTo(2);
        assertThat(result.values()[1]).isEqualTo(15.0);
        assertThat(result.values()[2]).isEqualTo(3);
        assertThat(result.values()[6]).isZero();
        assertThat(result.customerAgeMillis()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void refusesWhatItCannotComputeExactly() {
        long t = T0 + 40 * DAY;
        WindowHistorySnapshot shortCustomer =
                new WindowHistorySnapshot(
                        t - 1000, t - 10 * DAY, new long[0], new long[0], new long[0]);
        assertThat(compute(t, shortCustomer, Long.MIN_VALUE, null).problem())
                .isEqualTo("customer_history_incomplete");

        WindowHistorySnapshot behind =
                new WindowHistorySnapshot(
                        t - 60_000, t - 31 * DAY, new long[0], new long[0], new long[0]);
        // The job evicted transactions newer than what Redis holds: they are nowhere.
        assertThat(compute(t, behind, t - 30_000, null).problem())
                .isEqualTo("customer_history_gap");
        assertThat(compute(t, null, t - 30_000, null).problem()).isEqualTo("customer_history_gap");

        WindowHistorySnapshot shortTerminal =
                new WindowHistorySnapshot(
                        t - 1000, t - 20 * DAY, new long[0], new long[0], new long[0]);
        assertThat(compute(t, behind, Long.MIN_VALUE, shortTerminal).problem())
                .isEqualTo("terminal_history_incomplete");
        assertThat(compute(t, behind, t - 60_000, null).problem()).isNull();
    }

    @Test
    void aMissingSnapshotIsNoHistoryOnlyIfTheStoreLostNothingItsWindowCovers() {
        long t = T0 + 40 * DAY;
        WindowHistorySnapshot complete =
                new WindowHistorySnapshot(
                        t - 1000, t - 38 * DAY, new long[0], new long[0], new long[0]);

        // A store reset 10 days ago may have lost a customer's 30 days or a terminal's 37.
        long reset = t - 10 * DAY;
        assertThat(compute(t, null, Long.MIN_VALUE, complete, reset).problem())
                .isEqualTo("online_store_reset");
        assertThat(compute(t, complete, Long.MIN_VALUE, null, reset).problem())
                .isEqualTo("online_store_reset");
        // Entities written since the reset carry complete snapshots again.
        assertThat(compute(t, complete, Long.MIN_VALUE, complete, reset).problem()).isNull();
        // A store the feature job never marked vouches for nothing.
        assertThat(compute(t, null, Long.MIN_VALUE, complete, OnlineStoreReset.UNKNOWN).problem())
                .isEqualTo("online_store_reset");
        // A reset older than the widest window lost nothing that still counts.
        assertThat(compute(t, null, Long.MIN_VALUE, null, t - 38 * DAY).problem()).isNull();
        assertThat(compute(t, null, Long.MIN_VALUE, null, t - 36 * DAY).problem())
                .isEqualTo("online_store_reset");
    }

    private static ExactFeatureVector.Result compute(
            long t,
            WindowHistorySnapshot customer,
            long evictedThrough,
            WindowHistorySnapshot terminal) {
        return compute(t, customer, evictedThrough, terminal, OnlineStoreReset.NEVER);
    }

    private static ExactFeatureVector.Result compute(
            long t,
            WindowHistorySnapshot customer,
            long evictedThrough,
            WindowHistorySnapshot terminal,
            long storeResetAt) {
        return ExactFeatureVector.compute(
                t,
                100,
                new long[] {t},
                new long[] {100},
                evictedThrough,
                storeResetAt,
                customer,
                terminal,
                null);
    }

    /** Sorted transactions, some sharing a millisecond; a tenth are frauds labelled d later. */
    private static List<Tx> history(Random random, int n, long span, long burst) {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            times.add(T0 + (long) (random.nextDouble() * span));
        }
        times.sort(null);
        List<Tx> txs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long time = times.get(i);
            if (i > 0 && random.nextInt(10) == 0) {
                time = txs.get(i - 1).time + (burst == 0 ? 0 : random.nextInt((int) burst));
                time = Math.max(time, txs.get(i - 1).time);
            }
            boolean fraud = random.nextInt(10) == 0;
            long labelTime = time + DELAY + random.nextInt(600_000) - 300_000;
            txs.add(new Tx(time, 1 + random.nextInt(50_000), fraud, labelTime));
        }
        txs.sort((a, b) -> Long.compare(a.time, b.time));
        return txs;
    }

    /**
     * What the feature job stores as of {@code asOf}: buckets of every transaction up to it within
     * retention + margin; for terminals the values are frauds labelled by {@code labelsUpTo}.
     */
    private static WindowHistorySnapshot snapshot(
            List<Tx> txs, long asOf, long retention, boolean frauds, long labelsUpTo) {
        long completeAfter = asOf - retention - MARGIN;
        TreeMap<Long, long[]> buckets = new TreeMap<>();
        for (Tx tx : txs) {
            if (tx.time > completeAfter && tx.time <= asOf) {
                long[] b = buckets.computeIfAbsent(tx.time, k -> new long[2]);
                b[0]++;
                b[1] += frauds ? (tx.fraud && tx.labelTime <= labelsUpTo ? 1 : 0) : tx.amount;
            }
        }
        long[] times = new long[buckets.size()];
        long[] counts = new long[buckets.size()];
        long[] values = new long[buckets.size()];
        int i = 0;
        for (var e : buckets.entrySet()) {
            times[i] = e.getKey();
            counts[i] = e.getValue()[0];
            values[i] = e.getValue()[1];
            i++;
        }
        return new WindowHistorySnapshot(asOf, completeAfter, times, counts, values);
    }

    /**
     * The job's buffer: transactions up to the current one (index j) after {@code evictedThrough}.
     */
    private static long[][] recent(List<Tx> txs, int j, long evictedThrough) {
        List<Tx> held = new ArrayList<>();
        for (int i = 0; i <= j; i++) {
            if (txs.get(i).time > evictedThrough) {
                held.add(txs.get(i));
            }
        }
        return new long[][] {
            held.stream().mapToLong(Tx::time).toArray(),
            held.stream().mapToLong(Tx::amount).toArray()
        };
    }

    /** The v1 definitions, directly. */
    private static double[] expected(List<Tx> customer, int j, List<Tx> terminal, long t) {
        double[] v = new double[ExactFeatureVector.NAMES.size()];
        for (int k = 0; k < 3; k++) {
            long w = FeatureDefinitions.WINDOW_MILLIS[k];
            long count = 0;
            long sum = 0;
            for (int i = 0; i <= j; i++) {
                if (customer.get(i).time > t - w) {
                    count++;
                    sum += customer.get(i).amount;
                }
            }
            v[2 * k] = count;
            v[2 * k + 1] = count == 0 ? 0 : sum / 100.0 / count;
            long txs = 0;
            long frauds = 0;
            for (Tx tx : terminal) {
                if (tx.time > t - DELAY - w && tx.time <= t - DELAY) {
                    txs++;
                    frauds += tx.fraud && tx.labelTime <= t ? 1 : 0;
                }
            }
            v[6 + 2 * k] = txs;
            v[6 + 2 * k + 1] = txs == 0 ? 0 : (double) frauds / txs;
        }
        double[] request = FeatureDefinitions.requestFeatures(t, customer.get(j).amount);
        System.arraycopy(request, 0, v, 12, 3);
        return v;
    }
}
