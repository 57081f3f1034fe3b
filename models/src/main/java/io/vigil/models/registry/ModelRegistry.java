package io.vigil.models.registry;

import io.vigil.models.ModelArtifact;
import io.vigil.models.ModelMetadata;
import io.vigil.models.ModelRegistryException;
import io.vigil.models.OfflineEvaluation;
import io.vigil.schemas.ChallengerMode;
import java.net.URI;
import java.util.List;

/**
 * Model versions and their roles. Versions are immutable: registered once, never changed or
 * replaced. Every change is appended to an audit log and announced as a model event; a refused
 * change ({@link ModelRegistryException}, message says why) changes nothing.
 *
 * <p>The file-system implementation is {@link FileSystemModelRegistry}; an object store can
 * implement the same contract (write-once objects, a conditional write for the aliases).
 */
public interface ModelRegistry {

    /** The reason of the audit entry and model event (type OTHER) of a recorded evaluation. */
    String EVALUATED = "evaluated";

    /**
     * Stores a new version after checking its draft metadata: its inputs must be known features,
     * ONNX Runtime must load {@code onnx} with that input signature and output, and a smoke
     * inference must return a probability. A draft carrying a sha256 must match {@code onnx}.
     *
     * @return the stored metadata (sha256, registered_by, registered_at filled in)
     */
    ModelMetadata register(ModelMetadata draft, byte[] onnx, Attribution by);

    /** Registered model names, sorted. */
    List<String> models();

    /** The versions of {@code model}, oldest first; empty if it has none. */
    List<ModelMetadata> versions(String model);

    ModelMetadata metadata(String model, String version);

    /**
     * Reads a version's ONNX bytes and checks them against the recorded sha256.
     *
     * @throws io.vigil.models.InvalidModelException if the file does not match
     */
    ModelArtifact load(String model, String version);

    /** Where a version's files are (also carried by model events). */
    URI uri(String model, String version);

    ModelAliases aliases(String model);

    /** Makes {@code version} the champion; the current one is kept for a rollback. */
    ModelAliases setChampion(String model, String version, Attribution by);

    /**
     * Makes {@code version} the challenger ({@code canaryShare} 0 for SHADOW, in (0, 1] for
     * CANARY), replacing any current challenger.
     */
    ModelAliases setChallenger(
            String model, String version, ChallengerMode mode, double canaryShare, Attribution by);

    ModelAliases removeChallenger(String model, Attribution by);

    /** The challenger becomes the champion; the previous champion is kept for a rollback. */
    ModelAliases promote(String model, Attribution by);

    /** The previous champion decides again. */
    ModelAliases rollback(String model, Attribution by);

    /**
     * {@link #rollback(String, Attribution)}, refused unless {@code fromVersion} is still the
     * champion: for automatic rollbacks, which judge one version and must not undo a later change.
     */
    ModelAliases rollback(String model, String fromVersion, Attribution by);

    /**
     * The CANARY challenger {@code version} becomes a SHADOW challenger: it stops deciding and is
     * still scored. Refused unless {@code version} is the challenger in CANARY mode.
     */
    ModelAliases shadowCanary(String model, String version, Attribution by);

    /**
     * Announces the current champion and challenger again, as ALIAS_SET events, without changing
     * them: for listeners whose event topic lost the history (a purged or recreated Kafka). Refused
     * when the model has no champion.
     */
    ModelAliases republish(String model, Attribution by);

    /**
     * Publishes the changes of {@code model} that are audited but were not published (the publisher
     * failed), oldest first; every change of the model does this first. Returns how many were
     * published; refused, with nothing else changed, if one still cannot be.
     */
    int publishPending(String model);

    /** The audit log of {@code model}, oldest first. */
    List<AuditEntry> audit(String model);

    /**
     * Appends an offline evaluation to the version's evaluation history; the version itself (its
     * metadata) is not changed. Audited and announced like every change, as type {@code OTHER} with
     * reason {@link #EVALUATED}; the attribution's reason is kept in the entry.
     *
     * @return the stored entry (event id, time and actor filled in)
     * @throws ModelRegistryException if the version is not registered
     */
    EvaluationEntry recordEvaluation(
            String model, String version, OfflineEvaluation evaluation, Attribution by);

    /** The evaluation history of {@code version}, oldest first; empty if it has none. */
    List<EvaluationEntry> evaluations(String model, String version);
}
