package io.vigil.trainer.dataset;

/**
 * What {@link TrainingSetBuilder} did with its input, so a surprising training set can be
 * explained.
 *
 * @param frauds rows labelled fraud by a label known at the cut-off
 * @param legitimate rows labelled legitimate by a known label, or old enough to count as such
 * @param tooRecent rows without a known label and younger than the label delay: excluded
 * @param outsideWindow feature-log rows outside the window: excluded
 * @param otherFeatureViewVersions rows computed by other feature view versions than the model's:
 *     excluded
 * @param duplicates repeated feature-log rows of a transaction (at-least-once delivery): the first
 *     is kept
 * @param labelsAfterCutoff labels of rows in the window that became known after the cut-off:
 *     ignored, they would leak the future
 */
public record TrainingSetStats(
        int frauds,
        int legitimate,
        int tooRecent,
        int outsideWindow,
        int otherFeatureViewVersions,
        int duplicates,
        int labelsAfterCutoff) {}
