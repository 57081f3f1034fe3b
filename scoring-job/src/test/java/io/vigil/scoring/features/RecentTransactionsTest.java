package io.vigil.scoring.features;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentTransactionsTest {

    @Test
    void keepsTimeOrderAndEvictsByHorizonRememberingWhatWentMissing() {
        RecentTransactions r = new RecentTransactions();
        r.add(1_000, 10, 5_000, 100);
        r.add(3_000, 30, 5_000, 100);
        r.add(2_000, 20, 5_000, 100); // out of order: placed by time
        r.add(3_000, 31, 5_000, 100); // equal time: after the earlier arrival
        assertThat(r.times).containsExactly(1_000, 2_000, 3_000, 3_000);
        assertThat(r.amounts).containsExactly(10, 20, 30, 31);
        assertThat(r.completeAfterMillis).isEqualTo(Long.MIN_VALUE);

        r.add(7_000, 70, 5_000, 100); // 1_000 and 2_000 are at or before 7_000 − 5_000
        assertThat(r.times).containsExactly(3_000, 3_000, 7_000);
        assertThat(r.completeAfterMillis).isEqualTo(2_000);
    }

    @Test
    void capsTheNumberHeldPerCustomer() {
        RecentTransactions r = new RecentTransactions();
        for (int i = 1; i <= 5; i++) {
            r.add(i, i, 1_000_000, 3);
        }
        assertThat(r.times).containsExactly(3, 4, 5);
        assertThat(r.completeAfterMillis).isEqualTo(2);
    }
}
