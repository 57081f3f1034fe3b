package io.vigil.scoring.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.scoring.records.ModelAssignment;
import io.vigil.scoring.records.ModelChange;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelAssignmentsTest {

    private static ModelChange change(
            String type, String version, String alias, String mode, double share) {
        ModelChange c = new ModelChange();
        c.type = type;
        c.model = "fraud";
        c.version = version;
        c.alias = alias;
        c.mode = mode;
        c.canaryShare = share;
        c.uri = "file:/registry/fraud/" + version;
        c.sha256 = "sha-" + version;
        return c;
    }

    @Test
    void followsTheRegistrysAliasRules() {
        Map<String, ModelAssignment> none = Map.of();
        var champion =
                ModelAssignments.apply(
                        none, change("ALIAS_SET", "v1", "champion", "NONE", 0), "fraud");
        assertThat(champion.get("champion").version).isEqualTo("v1");

        var canary =
                ModelAssignments.apply(
                        champion, change("ALIAS_SET", "v2", "challenger", "CANARY", 0.1), "fraud");
        assertThat(canary.get("challenger").mode).isEqualTo("CANARY");
        assertThat(canary.get("challenger").canaryShare).isEqualTo(0.1);

        var promoted =
                ModelAssignments.apply(
                        canary, change("PROMOTED", "v2", "champion", "NONE", 0), "fraud");
        assertThat(promoted.get("champion").version).isEqualTo("v2");
        assertThat(promoted).doesNotContainKey("challenger");

        var shadow =
                ModelAssignments.apply(
                        promoted, change("ALIAS_SET", "v3", "challenger", "SHADOW", 0), "fraud");
        var rolledBack =
                ModelAssignments.apply(
                        shadow, change("ROLLED_BACK", "v1", "champion", "NONE", 0), "fraud");
        assertThat(rolledBack.get("champion").version).isEqualTo("v1");
        assertThat(rolledBack.get("challenger").version).isEqualTo("v3");

        var removed =
                ModelAssignments.apply(
                        rolledBack,
                        change("ALIAS_REMOVED", "v3", "challenger", "NONE", 0),
                        "fraud");
        assertThat(removed).containsOnlyKeys("champion");
    }

    @Test
    void ignoresOtherModelsAndInformationalEvents() {
        var current =
                ModelAssignments.apply(
                        Map.of(), change("ALIAS_SET", "v1", "champion", "NONE", 0), "fraud");
        assertThat(
                        ModelAssignments.apply(
                                current, change("REGISTERED", "v9", null, "NONE", 0), "fraud"))
                .isSameAs(current);
        assertThat(
                        ModelAssignments.apply(
                                current, change("LOADED", "v1", "champion", "NONE", 0), "fraud"))
                .isSameAs(current);
        assertThat(
                        ModelAssignments.apply(
                                current, change("ALIAS_SET", "v2", "champion", "NONE", 0), "other"))
                .isSameAs(current);
    }
}
