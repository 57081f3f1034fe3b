package io.vigil.scoring.functions;

import io.vigil.scoring.metrics.ScoringMetrics;
import io.vigil.scoring.models.ModelManager;
import io.vigil.scoring.models.ModelSet;
import io.vigil.scoring.records.ModelAssignment;

/** Model loads and switches as {@code vigil_model_swaps_total} and {@code vigil_model_info}. */
final class ModelMetricsListener implements ModelManager.Listener {

    private final ScoringMetrics metrics;

    ModelMetricsListener(ScoringMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void loadFinished(ModelAssignment assignment, String failure) {
        metrics.modelSwaps
                .labelValues(assignment.role, failure == null ? "loaded" : "failed")
                .inc();
    }

    @Override
    public void switched(ModelSet before, ModelSet after) {
        for (ModelSet.Slot slot : new ModelSet.Slot[] {before.champion(), before.challenger()}) {
            if (slot != null) {
                metrics.modelInfo.remove(labels(slot.assignment()));
            }
        }
        for (ModelSet.Slot slot : new ModelSet.Slot[] {after.champion(), after.challenger()}) {
            if (slot != null) {
                metrics.modelInfo.labelValues(labels(slot.assignment())).set(1);
            }
        }
    }

    private static String[] labels(ModelAssignment a) {
        return new String[] {a.role, a.model, a.version, a.mode.toLowerCase()};
    }
}
