package io.vigil.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.models.TestModels.Output;
import io.vigil.models.registry.RegistryJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelMetadataTest {

    @Test
    void survivesAJsonRoundTripWithItsProfile() throws IOException {
        Map<String, DistributionProfile> features = new HashMap<>();
        features.put("request:tx_amount", DistributionProfile.of(new double[] {1, 5, 20, 90}, 4));
        features.put("request:tx_during_night", DistributionProfile.of(new double[] {0, 1}, 4));
        ModelMetadata draft = TestModels.draft("fraud", "1", Output.PAIRS);
        ModelMetadata full =
                ModelMetadata.builder("fraud", "2")
                        .input(draft.input())
                        .outputName(draft.outputName())
                        .algorithm("xgboost")
                        .hyperparameters(Map.of("max_depth", "4", "eta", "0.1"))
                        .trainingWindow(draft.trainingWindow())
                        .labelCutoff(draft.labelCutoff())
                        .metrics(draft.metrics())
                        .referenceProfile(
                                new ReferenceProfile(
                                        features,
                                        DistributionProfile.of(new double[] {0.1, 0.2, 0.9}, 2)))
                        .decisionBands(new DecisionBands(0.3, 0.75))
                        .codeVersion("abc")
                        .parentVersion("1")
                        .build()
                        .registered(
                                "a".repeat(64), "trainer", Instant.parse("2026-11-20T10:00:00Z"));

        byte[] json = RegistryJson.pretty(full);
        assertThat(RegistryJson.read(json, ModelMetadata.class)).isEqualTo(full);
        String text = new String(json, StandardCharsets.UTF_8);
        assertThat(text)
                .contains(
                        "\"registered_at\" : \"2026-11-20T10:00:00Z\"",
                        "\"feature_view_versions\"",
                        "\"parent_version\" : \"1\"",
                        "\"bin_edges\"",
                        "\"decision_bands\" : {\n    \"review_from\" : 0.3,\n    \"decline_from\" : 0.75\n  }");
        // Maps are sorted, so the same metadata always gives the same bytes.
        assertThat(text.indexOf("\"eta\"")).isLessThan(text.indexOf("\"max_depth\""));
    }

    @Test
    void metadataWrittenBeforeVersionsHadDecisionBandsReadsAsTheDefault() throws IOException {
        ModelMetadata stored =
                TestModels.draft("fraud", "1", Output.PAIRS)
                        .registered("a".repeat(64), "trainer", TestModels.TRAIN_TO);
        ObjectNode json = RegistryJson.read(RegistryJson.pretty(stored), ObjectNode.class);
        assertThat(json.remove("decision_bands")).isNotNull();

        ModelMetadata old = RegistryJson.read(RegistryJson.pretty(json), ModelMetadata.class);
        assertThat(old.decisionBands()).isSameAs(DecisionBands.DEFAULT);
        assertThat(old).isEqualTo(stored);
        ModelMetadata withoutBands =
                ModelMetadata.builder("fraud", "2")
                        .input(stored.input())
                        .outputName("p")
                        .algorithm("lr")
                        .trainingWindow(stored.trainingWindow())
                        .labelCutoff(stored.labelCutoff())
                        .codeVersion("c")
                        .decisionBands(null)
                        .build();
        assertThat(withoutBands.decisionBands()).isSameAs(DecisionBands.DEFAULT);
    }

    @Test
    void refusesStoredDecisionBandsOutOfOrderNamingThem() throws IOException {
        ModelMetadata stored =
                TestModels.draft("fraud", "1", Output.PAIRS)
                        .registered("a".repeat(64), "trainer", TestModels.TRAIN_TO);
        ObjectNode json = RegistryJson.read(RegistryJson.pretty(stored), ObjectNode.class);
        ((ObjectNode) json.get("decision_bands")).put("review_from", 0.95);
        assertThatThrownBy(() -> RegistryJson.read(RegistryJson.pretty(json), ModelMetadata.class))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("review_from 0.95, decline_from 0.9");
    }

    @Test
    void checksItsFieldsWhereTheyAreMade() {
        ModelMetadata draft = TestModels.draft("fraud", "1", Output.PAIRS);
        assertThatThrownBy(() -> ModelMetadata.builder("fraud/1", "1").build())
                .hasMessageContaining("model name must be");
        assertThatThrownBy(
                        () ->
                                ModelMetadata.builder("fraud", "1")
                                        .input(draft.input())
                                        .outputName("p")
                                        .algorithm("lr")
                                        .trainingWindow(draft.trainingWindow())
                                        .labelCutoff(draft.trainingWindow().to().minusSeconds(1))
                                        .codeVersion("c")
                                        .build())
                .hasMessageContaining("is before the training window end");
        assertThatThrownBy(
                        () ->
                                ModelMetadata.builder("fraud", "1")
                                        .input(draft.input())
                                        .outputName("p")
                                        .algorithm("lr")
                                        .trainingWindow(draft.trainingWindow())
                                        .labelCutoff(draft.labelCutoff())
                                        .metrics(Map.of("auc_roc", Double.NaN))
                                        .codeVersion("c")
                                        .build())
                .hasMessageContaining("metric auc_roc must be a finite number");
        assertThatThrownBy(() -> new TrainingWindow(TestModels.TRAIN_TO, TestModels.TRAIN_FROM))
                .hasMessageContaining("must be before its end");
    }

    @Test
    void refusesBrokenJsonWithTheReason() {
        byte[] json =
                "{\"name\":\"fraud\",\"version\":\"1\",\"output_name\":\"p\"}"
                        .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> RegistryJson.read(json, ModelMetadata.class))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("input signature");
    }
}
