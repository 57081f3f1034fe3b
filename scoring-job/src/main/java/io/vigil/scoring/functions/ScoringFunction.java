package io.vigil.scoring.functions;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.vigil.features.FeatureDefinitions;
import io.vigil.features.records.LabelEvent;
import io.vigil.schemas.ChallengerMode;
import io.vigil.schemas.Decision;
import io.vigil.schemas.DecisionOutcome;
import io.vigil.schemas.FeatureValue;
import io.vigil.schemas.LatencyBreakdown;
import io.vigil.schemas.ModelEvent;
import io.vigil.schemas.ModelRole;
import io.vigil.schemas.ModelScore;
import io.vigil.schemas.history.WindowHistoryCodec;
import io.vigil.schemas.history.WindowHistorySnapshot;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.scoring.ScoringSettings;
import io.vigil.scoring.features.ExactFeatureVector;
import io.vigil.scoring.metrics.ScoringMetrics;
import io.vigil.scoring.models.ModelAssignments;
import io.vigil.scoring.models.ModelManager;
import io.vigil.scoring.models.ModelSet;
import io.vigil.scoring.records.ControlEvent;
import io.vigil.scoring.records.KeyedRecord;
import io.vigil.scoring.records.ModelAssignment;
import io.vigil.scoring.records.ScoringRequest;
import io.vigil.scoring.records.TerminalFraudLabels;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.common.utils.Utils;

/**
 * Scores each transaction with the champion and the challenger and emits its decision.
 *
 * <p>Main input: transactions with their Redis history snapshots. Broadcast input: model changes
 * (which version each role runs, kept in broadcast state and loaded by {@link ModelManager}) and
 * fraud labels (kept per terminal for {@code labelRetention}, for the labels the feature job has
 * not folded into Redis yet).
 *
 * <p>The champion decides by its version's bands. A SHADOW challenger is scored and logged; a
 * CANARY challenger decides for the customers whose id hashes below its share. Anything that stops
 * an exact vector or a champion score (lookup failure, an incomplete history, no champion, a model
 * error) gives a FALLBACK decision by the request-time rule, with the reason in the record and in
 * {@code vigil_fallback_total}. A challenger error never changes the decision's source except that
 * its canary customers are decided by the champion; it is counted as {@code challenger_error}.
 */
public class ScoringFunction
        extends BroadcastProcessFunction<ScoringRequest, ControlEvent, KeyedRecord>
        implements CheckpointedFunction {

    public static final MapStateDescriptor<String, ModelAssignment> ASSIGNMENTS =
            new MapStateDescriptor<>(
                    "model-assignments", Types.STRING, Types.POJO(ModelAssignment.class));

    public static final MapStateDescriptor<String, TerminalFraudLabels> FRAUD_LABELS =
            new MapStateDescriptor<>(
                    "recent-fraud-labels", Types.STRING, Types.POJO(TerminalFraudLabels.class));

    /** LOADED / LOAD_FAILED model events of this subtask, for the model-events topic. */
    public static final OutputTag<KeyedRecord> MODEL_EVENTS =
            new OutputTag<>("model-events", TypeInformation.of(KeyedRecord.class));

    private static final long PRUNE_INTERVAL_MILLIS = 10_000;

    private final ScoringSettings settings;

    private transient Map<String, ModelAssignment> restored;
    private transient ModelManager models;
    private transient ScoringMetrics metrics;
    private transient AvroSerde<Decision> decisions;
    private transient AvroSerde<ModelEvent> modelEvents;
    private transient List<ModelEvent> pendingEvents;
    private transient long nextPruneMillis;
    private transient CounterDataPoint[][] decisionCounts;
    private transient ModelSet metricsSet;
    private transient ChallengerMode mode;
    private transient SlotMetrics championMetrics;
    private transient SlotMetrics challengerMetrics;

    public ScoringFunction(ScoringSettings settings) {
        this.settings = settings;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        restored = new HashMap<>();
        BroadcastState<String, ModelAssignment> state =
                context.getOperatorStateStore().getBroadcastState(ASSIGNMENTS);
        for (Map.Entry<String, ModelAssignment> e : state.entries()) {
            restored.put(e.getKey(), e.getValue());
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        // Broadcast state is snapshotted by Flink; loaded models are rebuilt from it on restore.
    }

    @Override
    public void open(OpenContext openContext) {
        metrics = ScoringMetrics.acquire(settings.metricsHost(), settings.metricsPort());
        decisions = AvroSerde.of(Decision.class);
        modelEvents = AvroSerde.of(ModelEvent.class);
        String actor =
                getRuntimeContext().getTaskInfo().getTaskNameWithSubtasks().replace(' ', '_');
        models = new ModelManager(actor, new ModelMetricsListener(metrics));
        pendingEvents = new ArrayList<>(models.restore(restored));
        decisionCounts = new CounterDataPoint[DecisionOutcome.values().length][];
        for (DecisionOutcome outcome : DecisionOutcome.values()) {
            decisionCounts[outcome.ordinal()] = new CounterDataPoint[ModelRole.values().length];
            for (ModelRole role : ModelRole.values()) {
                decisionCounts[outcome.ordinal()][role.ordinal()] =
                        metrics.decisions.labelValues(label(outcome), label(role));
            }
        }
    }

    /** A model's metric series, resolved once per model switch instead of per transaction. */
    private record SlotMetrics(
            DistributionDataPoint inference,
            DistributionDataPoint scores,
            CounterDataPoint agree,
            CounterDataPoint disagree) {

        static SlotMetrics of(ScoringMetrics metrics, ModelSet.Slot slot, ChallengerMode mode) {
            if (slot == null) {
                return null;
            }
            ModelAssignment a = slot.assignment();
            String modeLabel = mode.name().toLowerCase(Locale.ROOT);
            return new SlotMetrics(
                    metrics.inferenceLatency.labelValues(a.model, a.version, a.role),
                    metrics.scores.labelValues(a.model, a.version, a.role),
                    metrics.agreement.labelValues(modeLabel, "true"),
                    metrics.agreement.labelValues(modeLabel, "false"));
        }
    }

    private static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        if (models != null) {
            models.close();
        }
        if (metrics != null) {
            ScoringMetrics.release(metrics);
        }
    }

    @Override
    public void processBroadcastElement(ControlEvent event, Context ctx, Collector<KeyedRecord> out)
            throws Exception {
        if (event.modelChange != null) {
            BroadcastState<String, ModelAssignment> state = ctx.getBroadcastState(ASSIGNMENTS);
            Map<String, ModelAssignment> current = new HashMap<>();
            for (Map.Entry<String, ModelAssignment> e : state.entries()) {
                current.put(e.getKey(), e.getValue());
            }
            Map<String, ModelAssignment> next =
                    ModelAssignments.apply(current, event.modelChange, settings.model());
            if (next != current) {
                state.clear();
                state.putAll(next);
                models.assign(next);
            }
        } else if (event.label != null) {
            remember(event.label, ctx.getBroadcastState(FRAUD_LABELS));
        }
        emitModelEvents(ctx::output);
    }

    @Override
    public void processElement(ScoringRequest req, ReadOnlyContext ctx, Collector<KeyedRecord> out)
            throws Exception {
        emitModelEvents(ctx::output);
        ModelSet set = models.active();
        if (set != metricsSet) {
            metricsSet = set;
            mode = set.challengerMode();
            championMetrics = SlotMetrics.of(metrics, set.champion(), ChallengerMode.NONE);
            challengerMetrics = SlotMetrics.of(metrics, set.challenger(), mode);
        }
        String reason = req.lookupFailure;
        ExactFeatureVector.Result vector = null;
        if (reason == null) {
            try {
                vector =
                        ExactFeatureVector.compute(
                                req.eventTimeMillis,
                                req.amountMinorUnits,
                                req.recentTimes,
                                req.recentAmounts,
                                req.recentCompleteAfterMillis,
                                req.storeResetAtMillis,
                                decode(req.customerHistory),
                                decode(req.terminalHistory),
                                ctx.getBroadcastState(FRAUD_LABELS).get(req.terminalId));
                reason = vector.problem();
            } catch (IllegalArgumentException e) {
                reason = "feature_decode_error";
            }
        }
        double[] values = reason == null ? vector.values() : null;
        if (reason == null && set.champion() == null) {
            reason = "no_champion";
        }
        long inferenceStart = System.nanoTime();
        Scored champion = values == null ? null : score(set.champion(), championMetrics, values);
        if (champion != null && champion.error != null) {
            reason = "champion_error";
        }
        Scored challenger =
                values == null ? null : score(set.challenger(), challengerMetrics, values);
        long inferenceMicros = (System.nanoTime() - inferenceStart) / 1_000;
        if (challenger != null && challenger.error != null) {
            metrics.fallbacks.labelValues("challenger_error").inc();
        }

        DecisionOutcome outcome;
        ModelRole decidedBy;
        if (reason != null) {
            metrics.fallbacks.labelValues(reason).inc();
            outcome =
                    req.amountMinorUnits >= settings.fallbackReviewAmountMinorUnits()
                            ? DecisionOutcome.REVIEW
                            : DecisionOutcome.APPROVE;
            decidedBy = ModelRole.FALLBACK;
        } else if (mode == ChallengerMode.CANARY
                && challenger.error == null
                && inCanary(req.customerId, set.challenger().assignment().canaryShare)) {
            outcome = challenger.outcome;
            decidedBy = ModelRole.CHALLENGER;
        } else {
            outcome = champion.outcome;
            decidedBy = ModelRole.CHAMPION;
        }
        if (reason == null && challenger != null && challenger.error == null) {
            (champion.outcome == challenger.outcome
                            ? challengerMetrics.agree
                            : challengerMetrics.disagree)
                    .inc();
        }
        decisionCounts[outcome.ordinal()][decidedBy.ordinal()].inc();

        long now = System.currentTimeMillis();
        long totalMicros = (now - req.producedAtMillis) * 1_000;
        metrics.e2eLatency.observe(totalMicros / 1e6);
        Decision decision =
                Decision.newBuilder()
                        .setTransactionId(req.transactionId)
                        .setEventTime(Instant.ofEpochMilli(req.eventTimeMillis))
                        .setCustomerId(req.customerId)
                        .setDecision(outcome)
                        .setBand(label(outcome))
                        .setDecidedBy(decidedBy)
                        .setChampion(modelScore(set.champion(), champion))
                        .setChallenger(modelScore(set.challenger(), challenger))
                        .setChallengerMode(mode)
                        .setFeatures(features(req, vector, values))
                        .setFallbackReason(reason)
                        .setLatency(
                                LatencyBreakdown.newBuilder()
                                        .setQueueMicros(
                                                Math.max(
                                                                0,
                                                                req.receivedAtMillis
                                                                        - req.producedAtMillis)
                                                        * 1_000)
                                        .setLookupMicros(req.lookupMicros)
                                        .setInferenceMicros(inferenceMicros)
                                        .setTotalMicros(totalMicros)
                                        .build())
                        .setEmittedAt(Instant.ofEpochMilli(now))
                        .build();
        out.collect(new KeyedRecord(req.transactionId, decisions.serialize(decision)));
    }

    /** A model's result for one transaction: its score and decision, or the error. */
    private record Scored(Double score, DecisionOutcome outcome, String error) {}

    private static Scored score(ModelSet.Slot slot, SlotMetrics slotMetrics, double[] values) {
        if (slot == null) {
            return null;
        }
        long start = System.nanoTime();
        try {
            double score = slot.model().score(values);
            DecisionOutcome outcome = slot.model().outcome(score);
            slotMetrics.inference.observe((System.nanoTime() - start) / 1e9);
            slotMetrics.scores.observe(score);
            return new Scored(score, outcome, null);
        } catch (RuntimeException e) {
            return new Scored(null, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static ModelScore modelScore(ModelSet.Slot slot, Scored scored) {
        if (slot == null) {
            return null;
        }
        return ModelScore.newBuilder()
                .setModel(slot.assignment().model)
                .setVersion(slot.assignment().version)
                .setScore(scored == null ? null : scored.score)
                .setError(scored == null ? null : scored.error)
                .build();
    }

    /** The exact vector with each view's age; the request-time features alone without one. */
    private static List<FeatureValue> features(
            ScoringRequest req, ExactFeatureVector.Result vector, double[] values) {
        List<FeatureValue> features = new ArrayList<>(ExactFeatureVector.NAMES.size());
        int request = ExactFeatureVector.requestOffset();
        if (values == null) {
            double[] requestValues =
                    FeatureDefinitions.requestFeatures(req.eventTimeMillis, req.amountMinorUnits);
            for (int i = 0; i < requestValues.length; i++) {
                features.add(
                        new FeatureValue(
                                ExactFeatureVector.NAMES.get(request + i), requestValues[i], null));
            }
            return features;
        }
        for (int i = 0; i < values.length; i++) {
            Long age = null;
            if (i < request) {
                long a = i < request / 2 ? vector.customerAgeMillis() : vector.terminalAgeMillis();
                age = a == Long.MIN_VALUE ? null : a;
            }
            features.add(new FeatureValue(ExactFeatureVector.NAMES.get(i), values[i], age));
        }
        return features;
    }

    /** Deterministic: a customer is in a canary of share s when its id hashes below s. */
    static boolean inCanary(String customerId, double share) {
        int hash = Utils.toPositive(Utils.murmur2(customerId.getBytes(StandardCharsets.UTF_8)));
        return hash / 2147483648.0 < share;
    }

    private void remember(LabelEvent label, BroadcastState<String, TerminalFraudLabels> state)
            throws Exception {
        if (!label.fraud) {
            return;
        }
        long now = System.currentTimeMillis();
        TerminalFraudLabels labels = state.get(label.terminalId);
        if (labels == null) {
            labels = new TerminalFraudLabels();
        }
        boolean added =
                labels.add(
                        label.transactionId, label.txEventTimeMillis, label.labelTimeMillis, now);
        metrics.fraudLabels.labelValues(added ? "kept" : "duplicate").inc();
        state.put(label.terminalId, labels);
        if (now >= nextPruneMillis) {
            nextPruneMillis = now + PRUNE_INTERVAL_MILLIS;
            long cutoff = now - settings.labelRetentionMillis();
            List<String> empty = new ArrayList<>();
            for (Map.Entry<String, TerminalFraudLabels> e : state.entries()) {
                if (e.getValue().retainReceivedAfter(cutoff) == 0) {
                    empty.add(e.getKey());
                }
            }
            for (String terminal : empty) {
                state.remove(terminal);
            }
        }
    }

    private interface SideOutput {
        void output(OutputTag<KeyedRecord> tag, KeyedRecord record);
    }

    private void emitModelEvents(SideOutput side) {
        pendingEvents.addAll(models.poll());
        for (ModelEvent event : pendingEvents) {
            side.output(
                    MODEL_EVENTS, new KeyedRecord(event.getModel(), modelEvents.serialize(event)));
        }
        pendingEvents.clear();
    }

    private static WindowHistorySnapshot decode(byte[] bytes) {
        return bytes == null ? null : WindowHistoryCodec.decode(bytes);
    }
}
