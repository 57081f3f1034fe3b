package io.vigil.cli.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.models.registry.AuditEntry;
import io.vigil.models.registry.ModelAliases;
import io.vigil.schemas.ChallengerMode;
import io.vigil.schemas.ModelEventType;
import io.vigil.schemas.RetrainRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetrainAuditTest {

    private static final RetrainRequest R1 =
            RetrainRequest.newBuilder()
                    .setRequestId("r1")
                    .setModel("fraud")
                    .setBaseVersion("1")
                    .setAlertIds(List.of("a7", "a9"))
                    .setApprovedBy("alice")
                    .setRequestedAt(Instant.parse("2018-08-15T00:00:00Z"))
                    .build();

    @Test
    void theReasonNamesTheRequestTheApproverAndTheAlerts() {
        assertThat(RetrainAudit.reason(R1))
                .isEqualTo("retrain request r1 approved by alice, alerts a7,a9");
        assertThat(
                        RetrainAudit.reason(
                                RetrainRequest.newBuilder(R1).setAlertIds(List.of()).build()))
                .isEqualTo("retrain request r1 approved by alice, alerts none");
    }

    @Test
    void aRequestNotInTheAuditLogIsNew() {
        RetrainAudit audit =
                RetrainAudit.of(
                        List.of(
                                entry(ModelEventType.REGISTERED, "1", null, "test registry"),
                                entry(ModelEventType.ALIAS_SET, "1", "champion", "test registry")),
                        "r1");

        assertThat(audit.registered()).isEmpty();
        assertThat(audit.handled()).isFalse();
    }

    @Test
    void registeredVersionsAndTheChallengerOfTheRequestAreFoundAndMakeItHandled() {
        String why = RetrainAudit.reason(R1);
        List<AuditEntry> log =
                List.of(
                        entry(ModelEventType.REGISTERED, "1", null, "test registry"),
                        entry(ModelEventType.REGISTERED, "2-logreg", null, why),
                        entry(ModelEventType.REGISTERED, "2-xgboost", null, why));

        RetrainAudit registeredOnly = RetrainAudit.of(log, "r1");
        assertThat(registeredOnly.registered()).containsExactly("2-logreg", "2-xgboost");
        assertThat(registeredOnly.handled()).isFalse();

        List<AuditEntry> withChallenger = new ArrayList<>(log);
        withChallenger.add(entry(ModelEventType.ALIAS_SET, "2-xgboost", "challenger", why));
        RetrainAudit handled = RetrainAudit.of(withChallenger, "r1");
        assertThat(handled.handled()).isTrue();
        assertThat(handled.challenger()).isEqualTo("2-xgboost");
    }

    @Test
    void anotherRequestWhoseIdStartsTheSameIsNotThisOne() {
        RetrainRequest r10 = RetrainRequest.newBuilder(R1).setRequestId("r10").build();
        String why = RetrainAudit.reason(r10);

        RetrainAudit audit =
                RetrainAudit.of(
                        List.of(
                                entry(ModelEventType.REGISTERED, "2-logreg", null, why),
                                entry(ModelEventType.ALIAS_SET, "2-logreg", "challenger", why)),
                        "r1");

        assertThat(audit.registered()).isEmpty();
        assertThat(audit.handled()).isFalse();
        assertThat(
                        RetrainAudit.of(
                                        List.of(
                                                entry(
                                                        ModelEventType.ALIAS_SET,
                                                        "2-logreg",
                                                        "challenger",
                                                        why)),
                                        "r10")
                                .handled())
                .isTrue();
    }

    @Test
    void theChampionSetForARequestDoesNotCountAsItsChallenger() {
        String why = RetrainAudit.reason(R1);

        RetrainAudit audit =
                RetrainAudit.of(
                        List.of(entry(ModelEventType.ALIAS_SET, "2-logreg", "champion", why)),
                        "r1");

        assertThat(audit.handled()).isFalse();
    }

    private static AuditEntry entry(
            ModelEventType type, String version, String alias, String reason) {
        return new AuditEntry(
                "e-" + version + "-" + type,
                Instant.parse("2018-08-15T00:00:00Z"),
                "test",
                type,
                "fraud",
                version,
                alias,
                ModelAliases.CHALLENGER.equals(alias) ? ChallengerMode.SHADOW : null,
                null,
                null,
                null,
                null,
                reason);
    }
}
