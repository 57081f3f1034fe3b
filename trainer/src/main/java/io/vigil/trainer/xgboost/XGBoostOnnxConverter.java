package io.vigil.trainer.xgboost;

import ai.onnx.proto.OnnxMl.AttributeProto;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vigil.models.InputSignature;
import io.vigil.trainer.onnx.OnnxGraphs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts a {@code binary:logistic} XGBoost model to an ONNX {@code TreeEnsembleClassifier}, the
 * way onnxmltools does: every split becomes a {@code BRANCH_LT} node (XGBoost goes to "yes" when
 * {@code x < split_condition}), missing values follow XGBoost's default direction, every leaf adds
 * its value to class 0's score, and {@code base_values} holds the base margin, so ONNX Runtime's
 * binary LOGISTIC post-transform yields (1 − p, p).
 *
 * <p>Thresholds and leaf values are float32 in XGBoost; they are parsed from the dump's decimal
 * text straight to float so no double rounding moves a threshold.
 */
final class XGBoostOnnxConverter {

    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private XGBoostOnnxConverter() {}

    /**
     * @param trees the JSON dump, one tree per element, features named {@code f<index>}
     * @param model the booster saved as JSON (for the base score)
     */
    static byte[] convert(String[] trees, String model, InputSignature signature) {
        Attributes a = new Attributes();
        for (int t = 0; t < trees.length; t++) {
            try {
                a.addTree(t, JSON.readTree(trees[t]), signature.width());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot parse xgboost tree " + t, e);
            }
        }
        return OnnxGraphs.classifier(
                "TreeEnsembleClassifier", a.toAttributes(baseMargin(model)), signature);
    }

    /** The logit of the model's base score (XGBoost ≥ 2 may estimate it from the labels). */
    static float baseMargin(String model) {
        JsonNode learner;
        try {
            learner = JSON.readTree(model).path("learner");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse the xgboost model JSON", e);
        }
        String objective = learner.path("objective").path("name").asText();
        if (!objective.equals("binary:logistic")) {
            throw new IllegalArgumentException(
                    "only binary:logistic models convert, this one is " + objective);
        }
        // "5E-1" in older releases, "[5E-1]" once base scores became vectors.
        String text =
                learner.path("learner_model_param")
                        .path("base_score")
                        .asText()
                        .replace("[", "")
                        .replace("]", "");
        double p = Float.parseFloat(text);
        return (float) Math.log(p / (1 - p));
    }

    /** The parallel attribute lists of a TreeEnsembleClassifier. */
    private static final class Attributes {
        final List<Long> treeIds = new ArrayList<>();
        final List<Long> nodeIds = new ArrayList<>();
        final List<Long> featureIds = new ArrayList<>();
        final List<String> modes = new ArrayList<>();
        final List<Float> values = new ArrayList<>();
        final List<Long> trueIds = new ArrayList<>();
        final List<Long> falseIds = new ArrayList<>();
        final List<Long> missingTracksTrue = new ArrayList<>();
        final List<Long> leafTreeIds = new ArrayList<>();
        final List<Long> leafNodeIds = new ArrayList<>();
        final List<Float> leafWeights = new ArrayList<>();

        void addTree(int tree, JsonNode node, int width) {
            long id = node.path("nodeid").asLong();
            treeIds.add((long) tree);
            nodeIds.add(id);
            if (node.has("leaf")) {
                featureIds.add(0L);
                modes.add("LEAF");
                values.add(0f);
                trueIds.add(0L);
                falseIds.add(0L);
                missingTracksTrue.add(0L);
                leafTreeIds.add((long) tree);
                leafNodeIds.add(id);
                leafWeights.add(exactFloat(node.get("leaf")));
                return;
            }
            String split = node.path("split").asText();
            int feature = split.matches("f[0-9]{1,9}") ? Integer.parseInt(split.substring(1)) : -1;
            if (feature < 0 || feature >= width) {
                throw new IllegalArgumentException(
                        "tree " + tree + " splits on unknown feature " + split);
            }
            long yes = node.path("yes").asLong();
            long no = node.path("no").asLong();
            featureIds.add((long) feature);
            modes.add("BRANCH_LT");
            values.add(exactFloat(node.get("split_condition")));
            trueIds.add(yes);
            falseIds.add(no);
            missingTracksTrue.add(node.path("missing").asLong() == yes ? 1L : 0L);
            for (JsonNode child : node.path("children")) {
                addTree(tree, child, width);
            }
        }

        List<AttributeProto> toAttributes(float baseMargin) {
            return List.of(
                    OnnxGraphs.ints("nodes_treeids", longs(treeIds)),
                    OnnxGraphs.ints("nodes_nodeids", longs(nodeIds)),
                    OnnxGraphs.ints("nodes_featureids", longs(featureIds)),
                    OnnxGraphs.strings("nodes_modes", modes),
                    OnnxGraphs.floats("nodes_values", floats(values)),
                    OnnxGraphs.ints("nodes_truenodeids", longs(trueIds)),
                    OnnxGraphs.ints("nodes_falsenodeids", longs(falseIds)),
                    OnnxGraphs.ints("nodes_missing_value_tracks_true", longs(missingTracksTrue)),
                    OnnxGraphs.ints("class_treeids", longs(leafTreeIds)),
                    OnnxGraphs.ints("class_nodeids", longs(leafNodeIds)),
                    OnnxGraphs.ints("class_ids", new long[leafNodeIds.size()]),
                    OnnxGraphs.floats("class_weights", floats(leafWeights)),
                    OnnxGraphs.ints("classlabels_int64s", new long[] {0, 1}),
                    OnnxGraphs.floats("base_values", new float[] {baseMargin}),
                    OnnxGraphs.string("post_transform", "LOGISTIC"));
        }

        private static float exactFloat(JsonNode number) {
            return Float.parseFloat(number.decimalValue().toString());
        }

        private static long[] longs(List<Long> list) {
            return list.stream().mapToLong(Long::longValue).toArray();
        }

        private static float[] floats(List<Float> list) {
            float[] array = new float[list.size()];
            for (int i = 0; i < array.length; i++) {
                array[i] = list.get(i);
            }
            return array;
        }
    }
}
