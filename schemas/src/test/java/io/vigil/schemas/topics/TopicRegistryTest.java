package io.vigil.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.Transaction;
import org.junit.jupiter.api.Test;

class TopicRegistryTest {

    @Test
    void defaultsAreVigilPrefixedWithTheirRecordTypes() {
        TopicRegistry registry = TopicRegistry.defaults();

        assertThat(registry.transactions().name()).isEqualTo("vigil.transactions");
        assertThat(registry.transactions().recordClass()).isEqualTo(Transaction.class);
        assertThat(registry.deadLetter().name()).isEqualTo("vigil.dead-letter");
        assertThat(registry.modelEvents().partitions()).isEqualTo(1);
        assertThat(registry.all()).hasSize(Topic.values().length);
        assertThat(registry.all())
                .allSatisfy(
                        spec ->
                                assertThat(spec.recordClass())
                                        .isEqualTo(spec.topic().recordClass()));
    }

    @Test
    void renamingReturnsANewRegistryAndLeavesTheOldOneAlone() {
        TopicRegistry defaults = TopicRegistry.defaults();
        TopicRegistry renamed = defaults.withName(Topic.DECISIONS, "bank.decisions");

        assertThat(renamed.decisions().name()).isEqualTo("bank.decisions");
        assertThat(defaults.decisions().name()).isEqualTo("vigil.decisions");
        assertThat(TopicRegistry.withPrefix("test-1.").labels().name()).isEqualTo("test-1.labels");
    }

    @Test
    void rejectsIllegalNames() {
        assertThatThrownBy(() -> TopicRegistry.withPrefix("bad prefix "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("illegal Kafka topic name");
        assertThatThrownBy(() -> TopicRegistry.defaults().withName(Topic.LABELS, ""))
                .hasMessageContaining("LABELS");
    }
}
