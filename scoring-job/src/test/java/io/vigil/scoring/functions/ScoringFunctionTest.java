package io.vigil.scoring.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.models.ModelMetadata;
import io.vigil.models.TestModels;
import io.vigil.models.registry.Attribution;
import io.vigil.models.registry.FileSystemModelRegistry;
import io.vigil.schemas.ChallengerMode;
import io.vigil.schemas.Decision;
import io.vigil.schemas.ModelEvent;
import io.vigil.schemas.ModelEventType;
import io.vigil.schemas.ModelRole;
import io.vigil.schemas.history.OnlineStoreReset;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.scoring.ScoringSettings;
import io.vigil.scoring.metrics.ScoringMetrics;
import io.vigil.scoring.records.ControlEvent;
import io.vigil.scoring.records.KeyedRecord;
import io.vigil.scoring.records.ModelChange;
import io.vigil.scoring.records.ScoringRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scoring operator with real ONNX models from a real file-system registry: fallbacks, champion
 * decisions, shadow and canary challengers, hot swaps and refused loads.
 */
class ScoringFunctionTest {

    private static final long T = 1_530_000_000_000L;
    private static final Attribution BY = new Attribution("test", "scoring function test");

    @TempDir Path registryRoot;

    private final List<ModelEvent> events = new CopyOnWriteArrayList<>();
    private final AvroSerde<Decision> decisions = AvroSerde.of(Decision.class);
    private FileSystemModelRegistry registry;
    private BroadcastOperatorTestHarness<ScoringRequest, ControlEvent, KeyedRecord> harness;
    private ScoringMetrics metrics;
    private int published;

    @BeforeEach
    void start() throws Exception {
        registry = FileSystemModelRegistry.open(registryRoot, events::add);
        harness =
                ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                        new ScoringFunction(
                                new ScoringSettings("fraud", 22_000, 60_000, "127.0.0.1", 0)),
                        ScoringFunction.ASSIGNMENTS,
                        ScoringFunction.FRAUD_LABELS);
        metrics = ScoringMetrics.acquire("127.0.0.1", 0);
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
        ScoringMetrics.release(metrics);
    }

    @Test
    void withoutAChampionEveryTransactionGetsAFallbackDecision() throws Exception {
        harness.processElement(request("tx-1", 50_000), 0);
        harness.processElement(request("tx-2", 1_000), 0);

        List<Decision> out = decisions();
        assertThat(out).extracting(Decision::getDecidedBy).containsOnly(ModelRole.FALLBACK);
        assertThat(out).extracting(Decision::getFallbackReason).containsOnly("no_champion");
        assertThat(out).extracting(Decision::getBand).containsExactly("review", "approve");
        assertThat(out.get(0).getFeatures()).hasSize(15);
    }

    @Test
    void theChampionDecidesAndAShadowChallengerIsOnlyLogged() throws Exception {
        register("v1", new float[15], -4f); // scores sigmoid(−4) ≈ 0.018: approve
        register("v2", new float[15], 4f); // ≈ 0.982: decline
        registry.setChampion("fraud", "v1", BY);
        registry.setChallenger("fraud", "v2", ChallengerMode.SHADOW, 0, BY);
        broadcastNewEvents();
        awaitLoads(2);

        harness.processElement(request("tx-1", 1_000), 0);

        Decision d = decisions().get(0);
        assertThat(d.getDecidedBy()).isEqualTo(ModelRole.CHAMPION);
        assertThat(d.getBand()).isEqualTo("approve");
        assertThat(d.getChampion().getVersion()).isEqualTo("v1");
        assertThat(d.getChampion().getScore()).isBetween(0.01, 0.02);
        assertThat(d.getChallenger().getVersion()).isEqualTo("v2");
        assertThat(d.getChallenger().getScore()).isBetween(0.98, 0.99);
        assertThat(d.getChallengerMode()).isEqualTo(ChallengerMode.SHADOW);
        assertThat(d.getFallbackReason()).isNull();
        assertThat(modelEventTypes()).containsOnly(ModelEventType.LOADED);
    }

    @Test
    void aFullCanaryDecidesEveryCustomerAndAPromotionSwitchesWithoutReloading() throws Exception {
        register("v1", new float[15], -4f);
        register("v2", new float[15], 4f);
        registry.setChampion("fraud", "v1", BY);
        registry.setChallenger("fraud", "v2", ChallengerMode.CANARY, 1.0, BY);
        broadcastNewEvents();
        awaitLoads(2);
        harness.processElement(request("tx-1", 1_000), 0);
        assertThat(decisions().get(0).getDecidedBy()).isEqualTo(ModelRole.CHALLENGER);
        assertThat(decisions().get(0).getBand()).isEqualTo("decline");

        registry.promote("fraud", BY);
        broadcastNewEvents();
        harness.processElement(request("tx-2", 1_000), 0);

        Decision after = decisions().get(1);
        assertThat(after.getDecidedBy()).isEqualTo(ModelRole.CHAMPION);
        assertThat(after.getChampion().getVersion()).isEqualTo("v2");
        assertThat(after.getChallenger()).isNull();
        assertThat(loads("champion", "loaded") + loads("challenger", "loaded")).isEqualTo(2);
    }

    @Test
    void aVersionThatFailsToLoadLeavesTheCurrentChampionDeciding() throws Exception {
        register("v1", new float[15], -4f);
        registry.setChampion("fraud", "v1", BY);
        broadcastNewEvents();
        awaitLoads(1);

        ModelChange corrupt = new ModelChange();
        corrupt.type = "ALIAS_SET";
        corrupt.model = "fraud";
        corrupt.version = "v9";
        corrupt.alias = "champion";
        corrupt.mode = "NONE";
        corrupt.uri = registryRoot.resolve("fraud/versions/v9").toUri().toString();
        corrupt.sha256 = "0".repeat(64);
        harness.processBroadcastElement(ControlEvent.of(corrupt), 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> loads("champion", "failed") == 1);
        harness.processElement(request("tx-1", 1_000), 0);

        assertThat(decisions().get(0).getChampion().getVersion()).isEqualTo("v1");
        assertThat(modelEventTypes()).contains(ModelEventType.LOAD_FAILED);
    }

    @Test
    void aFailedLookupFallsBackWithItsReason() throws Exception {
        register("v1", new float[15], -4f);
        registry.setChampion("fraud", "v1", BY);
        broadcastNewEvents();
        awaitLoads(1);
        ScoringRequest req = request("tx-1", 30_000);
        req.lookupFailure = "redis_unavailable";
        harness.processElement(req, 0);

        Decision d = decisions().get(0);
        assertThat(d.getDecidedBy()).isEqualTo(ModelRole.FALLBACK);
        assertThat(d.getFallbackReason()).isEqualTo("redis_unavailable");
        assertThat(d.getBand()).isEqualTo("review");
        assertThat(d.getFeatures()).hasSize(3);
        assertThat(metrics.fallbacks.labelValues("redis_unavailable").get())
                .isGreaterThanOrEqualTo(1);
    }

    private void register(String version, float[] weights, float bias) {
        ModelMetadata draft = TestModels.draft("fraud", version, TestModels.Output.PAIRS);
        registry.register(draft, TestModels.logistic(weights, bias, TestModels.Output.PAIRS), BY);
    }

    private void broadcastNewEvents() throws Exception {
        for (; published < events.size(); published++) {
            harness.processBroadcastElement(
                    ControlEvent.of(ModelChange.of(events.get(published))), 0);
        }
    }

    private void awaitLoads(int n) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> loads("champion", "loaded") + loads("challenger", "loaded") >= n);
    }

    private double loads(String role, String outcome) {
        return metrics.modelSwaps.labelValues(role, outcome).get();
    }

    private List<Decision> decisions() throws Exception {
        List<Decision> out = new ArrayList<>();
        for (KeyedRecord r : harness.extractOutputValues()) {
            out.add(decisions.deserialize("test", 0, 0, r.value));
        }
        return out;
    }

    private List<ModelEventType> modelEventTypes() throws Exception {
        AvroSerde<ModelEvent> serde = AvroSerde.of(ModelEvent.class);
        List<ModelEventType> types = new ArrayList<>();
        for (var r : harness.getSideOutput(ScoringFunction.MODEL_EVENTS)) {
            types.add(serde.deserialize("test", 0, 0, r.getValue().value).getType());
        }
        return types;
    }

    private static ScoringRequest request(String id, long amount) {
        ScoringRequest r = new ScoringRequest();
        r.transactionId = id;
        r.customerId = "c-" + id;
        r.terminalId = "t-1";
        r.eventTimeMillis = T;
        r.amountMinorUnits = amount;
        r.producedAtMillis = System.currentTimeMillis();
        r.receivedAtMillis = r.producedAtMillis;
        r.recentTimes = new long[] {T};
        r.recentAmounts = new long[] {amount};
        r.recentCompleteAfterMillis = Long.MIN_VALUE;
        // As looked up in a store the feature job built from its start: new entities.
        r.storeResetAtMillis = OnlineStoreReset.NEVER;
        return r;
    }
}
