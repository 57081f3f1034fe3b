package io.vigil.scoring.models;

import io.vigil.models.registry.FileSystemModelRegistry;
import io.vigil.schemas.ModelEvent;
import io.vigil.schemas.ModelEventType;
import io.vigil.scoring.records.ModelAssignment;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the models a scoring subtask runs in step with the assignments from model events, without
 * stalling scoring.
 *
 * <p>A new version is loaded on a background thread: read from its URI, sha256 checked against the
 * event and the metadata, inputs checked against the features the job computes, ONNX session
 * created and a smoke inference run. The switch happens on the task thread in {@link #poll},
 * between two transactions, so a transaction is scored entirely by the old or entirely by the new
 * set. A failed load keeps the current model for that role and is reported. Versions already loaded
 * (a promoted challenger, a rolled-back champion still held) switch without loading. All methods
 * but the loader's work run on the task thread.
 */
public final class ModelManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelManager.class);

    /** What a load produced, handed from the loader thread to the task thread. */
    private record Outcome(ModelAssignment assignment, LoadedModel model, Exception failure) {}

    /** Told about load outcomes and switches (metrics). */
    public interface Listener {
        /**
         * Called on the loader thread as soon as a load ends, so it must be thread-safe; {@code
         * failure} is null when the load succeeded.
         */
        void loadFinished(ModelAssignment assignment, String failure);

        /** Called on the task thread. */
        void switched(ModelSet before, ModelSet after);
    }

    private final String actor;
    private final Listener listener;
    private final ExecutorService loader;
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final Map<String, LoadedModel> loaded = new HashMap<>();
    private final Set<String> inFlight = new HashSet<>();
    private final Map<String, ModelAssignment> desired = new HashMap<>();
    private final Map<String, ModelAssignment> lastLoaded = new HashMap<>();
    private ModelSet active = ModelSet.EMPTY;

    public ModelManager(String actor, Listener listener) {
        this.actor = actor;
        this.listener = listener;
        this.loader =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "vigil-model-loader-" + actor);
                            t.setDaemon(true);
                            return t;
                        });
    }

    public ModelSet active() {
        return active;
    }

    /** Loads {@code assignments} synchronously and activates them (a restore). */
    public List<ModelEvent> restore(Map<String, ModelAssignment> assignments) {
        desired.clear();
        desired.putAll(assignments);
        for (ModelAssignment a : assignments.values()) {
            outcomes.add(load(a));
        }
        return poll();
    }

    /** The roles' new assignments (a missing role has none): loads what is not loaded yet. */
    public void assign(Map<String, ModelAssignment> assignments) {
        desired.clear();
        desired.putAll(assignments);
        for (ModelAssignment a : assignments.values()) {
            String key = a.artifactKey();
            if (!loaded.containsKey(key) && inFlight.add(key)) {
                loader.execute(() -> outcomes.add(load(a)));
            }
        }
        activate();
    }

    /**
     * Takes finished loads, switches to what can run now and returns the model events to publish
     * (LOADED / LOAD_FAILED).
     */
    public List<ModelEvent> poll() {
        if (outcomes.isEmpty()) {
            return List.of();
        }
        List<ModelEvent> events = new ArrayList<>();
        Outcome outcome;
        while ((outcome = outcomes.poll()) != null) {
            ModelAssignment a = outcome.assignment;
            inFlight.remove(a.artifactKey());
            if (outcome.failure != null) {
                String reason = String.valueOf(outcome.failure.getMessage());
                LOG.warn("keeping the current {} model: {} failed to load: {}", a.role, a, reason);
                events.add(event(ModelEventType.LOAD_FAILED, a, reason));
            } else {
                LoadedModel previous = loaded.put(a.artifactKey(), outcome.model);
                if (previous != null && previous != outcome.model) {
                    previous.close();
                }
                lastLoaded.put(a.role, a);
                events.add(event(ModelEventType.LOADED, a, "ready on " + actor));
            }
        }
        if (!events.isEmpty()) {
            activate();
        }
        return events;
    }

    @Override
    public void close() {
        loader.shutdownNow();
        loaded.values().forEach(LoadedModel::close);
        loaded.clear();
        active = ModelSet.EMPTY;
    }

    /**
     * Each role runs its desired version once loaded; until then (or after a failed load) it keeps
     * what it ran, or, if it ran nothing yet, the last version assigned to it that loaded (events
     * replayed on a first start can name a broken version after a good one). Versions no role needs
     * any more are closed.
     */
    private void activate() {
        ModelSet before = active;
        ModelSet.Slot champion = slot(ModelAssignment.CHAMPION, before.champion());
        ModelSet.Slot challenger =
                desired.containsKey(ModelAssignment.CHALLENGER)
                        ? slot(ModelAssignment.CHALLENGER, before.challenger())
                        : null;
        active = new ModelSet(champion, challenger);
        if (!active.equals(before)) {
            LOG.info("models now: {}", active);
            listener.switched(before, active);
        }
        Set<String> inUse = new HashSet<>();
        for (ModelSet.Slot s : new ModelSet.Slot[] {champion, challenger}) {
            if (s != null) {
                inUse.add(s.assignment().artifactKey());
            }
        }
        desired.values().forEach(a -> inUse.add(a.artifactKey()));
        lastLoaded.values().forEach(a -> inUse.add(a.artifactKey()));
        loaded.entrySet()
                .removeIf(
                        e -> {
                            if (inUse.contains(e.getKey())) {
                                return false;
                            }
                            e.getValue().close();
                            return true;
                        });
    }

    private ModelSet.Slot slot(String role, ModelSet.Slot current) {
        ModelAssignment wanted = desired.get(role);
        if (wanted == null) {
            return null;
        }
        LoadedModel model = loaded.get(wanted.artifactKey());
        if (model != null) {
            return new ModelSet.Slot(wanted, model);
        }
        if (current != null) {
            return current;
        }
        ModelAssignment fallback = lastLoaded.get(role);
        LoadedModel interim = fallback == null ? null : loaded.get(fallback.artifactKey());
        return interim == null ? null : new ModelSet.Slot(fallback, interim);
    }

    private Outcome load(ModelAssignment a) {
        Outcome outcome = loadQuietly(a);
        listener.loadFinished(
                a, outcome.failure == null ? null : String.valueOf(outcome.failure.getMessage()));
        return outcome;
    }

    private static Outcome loadQuietly(ModelAssignment a) {
        try {
            var artifact = FileSystemModelRegistry.loadArtifact(URI.create(a.uri));
            if (a.sha256 != null && !a.sha256.equals(artifact.metadata().sha256())) {
                throw new IllegalArgumentException(
                        "sha256 of "
                                + a.uri
                                + " is "
                                + artifact.metadata().sha256()
                                + ", the model event says "
                                + a.sha256);
            }
            if (!artifact.metadata().name().equals(a.model)
                    || !artifact.metadata().version().equals(a.version)) {
                throw new IllegalArgumentException(
                        a.uri
                                + " holds "
                                + artifact.metadata().name()
                                + " "
                                + artifact.metadata().version()
                                + ", not "
                                + a.model
                                + " "
                                + a.version);
            }
            return new Outcome(a, LoadedModel.load(artifact), null);
        } catch (Exception | LinkageError e) {
            Exception failure = e instanceof Exception ex ? ex : new IllegalStateException(e);
            return new Outcome(a, null, failure);
        }
    }

    private ModelEvent event(ModelEventType type, ModelAssignment a, String reason) {
        return ModelEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setEventTime(Instant.now())
                .setType(type)
                .setModel(a.model)
                .setVersion(a.version)
                .setAlias(a.role)
                .setUri(a.uri)
                .setSha256(a.sha256)
                .setActor("scoring-job/" + actor)
                .setReason(reason)
                .build();
    }
}
