package io.vigil.scoring.models;

import io.vigil.scoring.records.ModelAssignment;
import io.vigil.scoring.records.ModelChange;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How registry events change which version each role runs, mirroring {@code
 * io.vigil.models.registry.ModelAliases}: a champion or challenger set, a challenger removed, a
 * promotion (the challenger becomes champion and the challenger role empties), a rollback (the
 * previous champion returns; a challenger of that version leaves). Events of other models and
 * informational events (registered, loaded, …) change nothing.
 */
public final class ModelAssignments {

    private ModelAssignments() {}

    /** The assignments after {@code change}, or {@code current} itself when nothing changes. */
    public static Map<String, ModelAssignment> apply(
            Map<String, ModelAssignment> current, ModelChange change, String followedModel) {
        if (!Objects.equals(change.model, followedModel) || change.type == null) {
            return current;
        }
        Map<String, ModelAssignment> next = new HashMap<>(current);
        switch (change.type) {
            case "ALIAS_SET" -> {
                if (ModelAssignment.CHAMPION.equals(change.alias)) {
                    next.put(ModelAssignment.CHAMPION, champion(change));
                } else if (ModelAssignment.CHALLENGER.equals(change.alias)) {
                    next.put(
                            ModelAssignment.CHALLENGER,
                            new ModelAssignment(
                                    ModelAssignment.CHALLENGER,
                                    change.model,
                                    change.version,
                                    change.uri,
                                    change.sha256,
                                    change.mode,
                                    change.canaryShare));
                } else {
                    return current;
                }
            }
            case "ALIAS_REMOVED" -> {
                if (!ModelAssignment.CHALLENGER.equals(change.alias)) {
                    return current;
                }
                next.remove(ModelAssignment.CHALLENGER);
            }
            case "PROMOTED" -> {
                next.put(ModelAssignment.CHAMPION, champion(change));
                next.remove(ModelAssignment.CHALLENGER);
            }
            case "ROLLED_BACK" -> {
                next.put(ModelAssignment.CHAMPION, champion(change));
                ModelAssignment challenger = next.get(ModelAssignment.CHALLENGER);
                if (challenger != null && challenger.version.equals(change.version)) {
                    next.remove(ModelAssignment.CHALLENGER);
                }
            }
            default -> {
                return current;
            }
        }
        return next;
    }

    private static ModelAssignment champion(ModelChange change) {
        return new ModelAssignment(
                ModelAssignment.CHAMPION,
                change.model,
                change.version,
                change.uri,
                change.sha256,
                "NONE",
                0);
    }
}
