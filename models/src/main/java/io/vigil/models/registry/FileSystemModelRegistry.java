package io.vigil.models.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.models.FeatureCatalog;
import io.vigil.models.InvalidModelException;
import io.vigil.models.ModelArtifact;
import io.vigil.models.ModelMetadata;
import io.vigil.models.ModelRegistryException;
import io.vigil.models.OfflineEvaluation;
import io.vigil.models.inference.OnnxScorer;
import io.vigil.schemas.ChallengerMode;
import io.vigil.schemas.ModelEventType;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A {@link ModelRegistry} in a directory (default {@code var/registry}):
 *
 * <pre>
 * &lt;root&gt;/.lock                                   serializes writers (also across processes; 30 s at most)
 * &lt;root&gt;/&lt;model&gt;/versions/&lt;version&gt;/model.onnx      read-only once written
 * &lt;root&gt;/&lt;model&gt;/versions/&lt;version&gt;/metadata.json   read-only once written
 * &lt;root&gt;/&lt;model&gt;/aliases.json                      replaced atomically on every alias change
 * &lt;root&gt;/&lt;model&gt;/audit.jsonl                       one JSON line per change, appended
 * &lt;root&gt;/&lt;model&gt;/published.offset                  bytes of audit.jsonl whose entries are published
 * &lt;root&gt;/&lt;model&gt;/evaluations.jsonl                 one JSON line per recorded evaluation, appended
 * </pre>
 *
 * A version is written to a staging directory and renamed into place, so readers see all of it or
 * nothing. Readers take no lock: version files never change and the aliases file is replaced by a
 * rename. A change is stored, then audited, then published; if publishing fails the change stays
 * (the exception says so) and the audit log still has it. The audit log is then the outbox: {@code
 * published.offset} stays before the unpublished entry, and every later change of the model first
 * publishes what is pending, in audit order ({@link #publishPending} does it without a change), so
 * listeners never miss a change nor see two out of order. An event can be published twice (a crash
 * between publishing and moving the offset); listeners apply alias events idempotently.
 */
public final class FileSystemModelRegistry implements ModelRegistry {

    public static final Path DEFAULT_ROOT = Path.of("var", "registry");

    private static final String VERSIONS_DIR = "versions";
    private static final String ONNX_FILE = "model.onnx";
    private static final String METADATA_FILE = "metadata.json";
    private static final String ALIASES_FILE = "aliases.json";
    private static final String AUDIT_FILE = "audit.jsonl";
    private static final String EVALUATIONS_FILE = "evaluations.jsonl";
    private static final String PUBLISHED_FILE = "published.offset";
    private static final String LOCK_FILE = ".lock";

    /** How long a change waits for another writer before it is refused. */
    private static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(30);

    private static final long LOCK_POLL_MILLIS = 20;

    private final Path root;
    private final FeatureCatalog catalog;
    private final ModelEventPublisher publisher;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Duration lockWait;

    public FileSystemModelRegistry(
            Path root, FeatureCatalog catalog, ModelEventPublisher publisher, Clock clock) {
        this(root, catalog, publisher, clock, DEFAULT_LOCK_WAIT);
    }

    /**
     * @param lockWait how long a change waits for the writer lock (held by another thread or
     *     process) before it is refused
     */
    public FileSystemModelRegistry(
            Path root,
            FeatureCatalog catalog,
            ModelEventPublisher publisher,
            Clock clock,
            Duration lockWait) {
        this.lockWait = Objects.requireNonNull(lockWait, "lock wait");
        this.root = Objects.requireNonNull(root, "registry root");
        this.catalog = Objects.requireNonNull(catalog, "feature catalog");
        this.publisher = Objects.requireNonNull(publisher, "model event publisher");
        this.clock = Objects.requireNonNull(clock, "clock");
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new ModelRegistryException("cannot create the registry directory " + root, e);
        }
    }

    /** A registry at {@code root} for the v1 features, on the system clock. */
    public static FileSystemModelRegistry open(Path root, ModelEventPublisher publisher) {
        return new FileSystemModelRegistry(root, FeatureCatalog.v1(), publisher, Clock.systemUTC());
    }

    public Path root() {
        return root;
    }

    @Override
    public ModelMetadata register(ModelMetadata draft, byte[] onnx, Attribution by) {
        Objects.requireNonNull(draft, "draft metadata");
        Objects.requireNonNull(onnx, "onnx");
        Objects.requireNonNull(by, "attribution");
        String what = "model " + draft.name() + " " + draft.version();
        if (draft.registeredAt() != null) {
            throw new ModelRegistryException(
                    what + ": metadata is already registered (at " + draft.registeredAt() + ")");
        }
        catalog.validate(what, draft.input());
        String sha256 = sha256(onnx);
        if (draft.sha256() != null && !draft.sha256().equals(sha256)) {
            throw new InvalidModelException(
                    what
                            + ": the draft expects sha256 "
                            + draft.sha256()
                            + " but the ONNX file has "
                            + sha256);
        }
        ModelMetadata stored = draft.registered(sha256, by.actor(), clock.instant());
        // Loading proves ONNX Runtime accepts the file with this signature and output.
        OnnxScorer.load(stored, onnx).close();
        return locked(
                () -> {
                    publishPendingBeforeChange(draft.name());
                    Path dir = versionDir(draft.name(), draft.version());
                    if (Files.exists(dir)) {
                        throw new ModelRegistryException(
                                what
                                        + " is already registered (sha256 "
                                        + metadata(draft.name(), draft.version()).sha256()
                                        + "); versions are immutable: register a new version");
                    }
                    writeVersion(dir, stored, onnx);
                    record(
                            entry(ModelEventType.REGISTERED, stored, null, null, by)
                                    .withDetail("registered " + sha256));
                    return stored;
                });
    }

    @Override
    public List<String> models() {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isDirectory(d.resolve(VERSIONS_DIR)))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new ModelRegistryException("cannot list models in " + root, e);
        }
    }

    @Override
    public List<ModelMetadata> versions(String model) {
        Path dir = modelDir(model).resolve(VERSIONS_DIR);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(dir)) {
            return dirs.map(d -> metadata(model, d.getFileName().toString()))
                    .sorted(
                            Comparator.comparing(ModelMetadata::registeredAt)
                                    .thenComparing(ModelMetadata::version))
                    .toList();
        } catch (IOException e) {
            throw new ModelRegistryException("cannot list versions of model " + model, e);
        }
    }

    @Override
    public ModelMetadata metadata(String model, String version) {
        Path file = versionDir(model, version).resolve(METADATA_FILE);
        ModelMetadata metadata;
        try {
            metadata = RegistryJson.read(Files.readAllBytes(file), ModelMetadata.class);
        } catch (NoSuchFileException e) {
            throw new ModelRegistryException(
                    "model "
                            + model
                            + " has no version "
                            + version
                            + " (registered: "
                            + versionNames(model)
                            + ")");
        } catch (IOException e) {
            throw new ModelRegistryException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (!metadata.name().equals(model) || !metadata.version().equals(version)) {
            throw new ModelRegistryException(
                    file
                            + " describes model "
                            + metadata.name()
                            + " "
                            + metadata.version()
                            + ", not "
                            + model
                            + " "
                            + version);
        }
        return metadata;
    }

    @Override
    public ModelArtifact load(String model, String version) {
        return verified(metadata(model, version), versionDir(model, version));
    }

    /**
     * Loads the version stored in {@code versionDir} (a {@link #uri} as model events carry it)
     * without a registry instance: its metadata, and its ONNX bytes checked against the recorded
     * sha256. For consumers such as the scoring job that learn of a version from an event.
     *
     * @throws InvalidModelException naming the reason: not a local directory URI, a missing or
     *     unreadable file, metadata of another model or version than the directory's, or a sha256
     *     mismatch
     */
    public static ModelArtifact loadArtifact(URI versionDir) {
        Objects.requireNonNull(versionDir, "version directory URI");
        Path dir;
        try {
            dir = Path.of(versionDir);
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw new InvalidModelException(
                    "cannot load a model from "
                            + versionDir
                            + ": not a local directory URI (file:///.../<model>/versions/<version>/): "
                            + e.getMessage(),
                    e);
        }
        Path file = dir.resolve(METADATA_FILE);
        ModelMetadata metadata;
        try {
            metadata = RegistryJson.read(Files.readAllBytes(file), ModelMetadata.class);
        } catch (NoSuchFileException e) {
            throw new InvalidModelException(
                    "cannot load a model from "
                            + versionDir
                            + ": no "
                            + file
                            + " (not a version directory, or the version was never registered)",
                    e);
        } catch (IOException e) {
            throw new InvalidModelException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Path versions = dir.getParent();
        Path modelDir = versions == null ? null : versions.getParent();
        if (modelDir == null
                || modelDir.getFileName() == null
                || !versions.getFileName().toString().equals(VERSIONS_DIR)
                || !dir.getFileName().toString().equals(metadata.version())
                || !modelDir.getFileName().toString().equals(metadata.name())) {
            // A copied or misplaced directory would announce one version and serve another.
            throw new InvalidModelException(
                    file
                            + " describes model "
                            + metadata.name()
                            + " "
                            + metadata.version()
                            + ", but a version directory is <model>/versions/<version>: expected"
                            + " .../"
                            + metadata.name()
                            + "/versions/"
                            + metadata.version());
        }
        return verified(metadata, dir);
    }

    /** Reads the ONNX file in {@code dir} and checks it against {@code metadata}'s sha256. */
    private static ModelArtifact verified(ModelMetadata metadata, Path dir) {
        Path file = dir.resolve(ONNX_FILE);
        String what = "model " + metadata.name() + " " + metadata.version();
        byte[] onnx;
        try {
            onnx = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidModelException(what + ": its ONNX file " + file + " is missing", e);
        } catch (IOException e) {
            throw new InvalidModelException(
                    what + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        String actual = sha256(onnx);
        if (!actual.equals(metadata.sha256())) {
            throw new InvalidModelException(
                    what
                            + ": sha256 mismatch: "
                            + file
                            + " has "
                            + actual
                            + ", its metadata records "
                            + metadata.sha256()
                            + " (the file was changed or corrupted)");
        }
        return new ModelArtifact(metadata, onnx);
    }

    @Override
    public URI uri(String model, String version) {
        return versionDir(model, version).toAbsolutePath().toUri();
    }

    @Override
    public ModelAliases aliases(String model) {
        Path file = modelDir(model).resolve(ALIASES_FILE);
        try {
            return RegistryJson.read(Files.readAllBytes(file), ModelAliases.class);
        } catch (NoSuchFileException e) {
            return ModelAliases.none(model);
        } catch (IOException e) {
            throw new ModelRegistryException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ModelAliases setChampion(String model, String version, Attribution by) {
        return changeAliases(
                model,
                ModelEventType.ALIAS_SET,
                ModelAliases.CHAMPION,
                aliases -> aliases.withChampion(version),
                (before, after) -> after.champion(),
                by);
    }

    @Override
    public ModelAliases setChallenger(
            String model, String version, ChallengerMode mode, double canaryShare, Attribution by) {
        ModelAliases.Challenger challenger;
        try {
            challenger = new ModelAliases.Challenger(version, mode, canaryShare);
        } catch (IllegalArgumentException e) {
            throw new ModelRegistryException("model " + model + ": " + e.getMessage(), e);
        }
        return changeAliases(
                model,
                ModelEventType.ALIAS_SET,
                ModelAliases.CHALLENGER,
                aliases -> aliases.withChallenger(challenger),
                (before, after) -> after.challenger().version(),
                by);
    }

    @Override
    public ModelAliases removeChallenger(String model, Attribution by) {
        return changeAliases(
                model,
                ModelEventType.ALIAS_REMOVED,
                ModelAliases.CHALLENGER,
                ModelAliases::withoutChallenger,
                (before, after) -> before.challenger().version(),
                by);
    }

    @Override
    public ModelAliases promote(String model, Attribution by) {
        return changeAliases(
                model,
                ModelEventType.PROMOTED,
                ModelAliases.CHAMPION,
                ModelAliases::promoted,
                (before, after) -> after.champion(),
                by);
    }

    @Override
    public ModelAliases rollback(String model, Attribution by) {
        return changeAliases(
                model,
                ModelEventType.ROLLED_BACK,
                ModelAliases.CHAMPION,
                ModelAliases::rolledBack,
                (before, after) -> after.champion(),
                by);
    }

    @Override
    public ModelAliases rollback(String model, String fromVersion, Attribution by) {
        return changeAliases(
                model,
                ModelEventType.ROLLED_BACK,
                ModelAliases.CHAMPION,
                aliases -> aliases.rolledBackFrom(fromVersion),
                (before, after) -> after.champion(),
                by);
    }

    @Override
    public ModelAliases shadowCanary(String model, String version, Attribution by) {
        return changeAliases(
                model,
                ModelEventType.ALIAS_SET,
                ModelAliases.CHALLENGER,
                aliases -> aliases.withCanaryShadowed(version),
                (before, after) -> after.challenger().version(),
                by);
    }

    @Override
    public ModelAliases republish(String model, Attribution by) {
        Objects.requireNonNull(by, "attribution");
        return locked(
                () -> {
                    publishPendingBeforeChange(model);
                    ModelAliases current = aliases(model);
                    if (current.champion() == null) {
                        throw new ModelRegistryException(
                                "model " + model + " has no champion: nothing to republish");
                    }
                    String detail = "republished " + summary(current);
                    record(
                            entry(
                                            ModelEventType.ALIAS_SET,
                                            metadata(model, current.champion()),
                                            ModelAliases.CHAMPION,
                                            null,
                                            by)
                                    .withDetail(detail));
                    ModelAliases.Challenger challenger = current.challenger();
                    if (challenger != null) {
                        record(
                                entry(
                                                ModelEventType.ALIAS_SET,
                                                metadata(model, challenger.version()),
                                                ModelAliases.CHALLENGER,
                                                challenger,
                                                by)
                                        .withDetail(detail));
                    }
                    return current;
                });
    }

    @Override
    public List<AuditEntry> audit(String model) {
        return readLines(
                modelDir(model).resolve(AUDIT_FILE),
                line -> RegistryJson.read(line.getBytes(StandardCharsets.UTF_8), AuditEntry.class));
    }

    @Override
    public EvaluationEntry recordEvaluation(
            String model, String version, OfflineEvaluation evaluation, Attribution by) {
        Objects.requireNonNull(evaluation, "evaluation");
        Objects.requireNonNull(by, "attribution");
        return locked(
                () -> {
                    publishPendingBeforeChange(model);
                    ModelMetadata target = metadata(model, version);
                    AuditEntry audited =
                            entry(ModelEventType.OTHER, target, null, null, by)
                                    .withReason(EVALUATED)
                                    .withDetail(summary(evaluation));
                    EvaluationEntry stored =
                            new EvaluationEntry(
                                    audited.eventId(),
                                    audited.at(),
                                    by.actor(),
                                    by.reason(),
                                    model,
                                    version,
                                    evaluation);
                    Path file = modelDir(model).resolve(EVALUATIONS_FILE);
                    try {
                        appendLine(file, RegistryJson.line(stored) + "\n");
                    } catch (IOException e) {
                        throw new ModelRegistryException(
                                "cannot append the evaluation of model "
                                        + model
                                        + " "
                                        + version
                                        + " to "
                                        + file
                                        + ": "
                                        + e.getMessage(),
                                e);
                    }
                    record(audited);
                    return stored;
                });
    }

    @Override
    public List<EvaluationEntry> evaluations(String model, String version) {
        ModelMetadata.checkId("version of model " + model, version);
        return readLines(
                        modelDir(model).resolve(EVALUATIONS_FILE),
                        FileSystemModelRegistry::evaluation)
                .stream()
                .filter(e -> e.version().equals(version))
                .toList();
    }

    // Lines written by `vigil model evaluate` before the registry recorded evaluations are flat:
    // the measured fields next to who and when, without an event id.
    private static EvaluationEntry evaluation(String line) throws IOException {
        JsonNode node = RegistryJson.read(line.getBytes(StandardCharsets.UTF_8), JsonNode.class);
        if (node instanceof ObjectNode flat && !flat.has("evaluation")) {
            ObjectNode nested = flat.deepCopy();
            nested.set("evaluation", flat);
            node = nested;
        }
        return RegistryJson.read(node, EvaluationEntry.class);
    }

    /** One JSON value per non-blank line of {@code file}; a missing file has none. */
    private static <T> List<T> readLines(Path file, LineParser<T> parser) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new ModelRegistryException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<T> values = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                values.add(parser.parse(lines.get(i)));
            } catch (IOException e) {
                throw new ModelRegistryException(
                        "cannot read " + file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return values;
    }

    /** Parses one line of a JSON-lines file. */
    @FunctionalInterface
    private interface LineParser<T> {
        T parse(String line) throws IOException;
    }

    /**
     * Under the writer lock: applies {@code change} to the current aliases, checks that the version
     * the change is about ({@code subject} of before and after) is registered, then stores, audits
     * and publishes it. Nothing is written if any step before the store refuses.
     */
    private ModelAliases changeAliases(
            String model,
            ModelEventType type,
            String alias,
            UnaryOperator<ModelAliases> change,
            BiFunction<ModelAliases, ModelAliases, String> subject,
            Attribution by) {
        Objects.requireNonNull(by, "attribution");
        return locked(
                () -> {
                    publishPendingBeforeChange(model);
                    ModelAliases before = aliases(model);
                    ModelAliases after = change.apply(before);
                    ModelMetadata target = metadata(model, subject.apply(before, after));
                    writeAliases(model, after);
                    ModelAliases.Challenger challenger =
                            alias.equals(ModelAliases.CHALLENGER) ? after.challenger() : null;
                    record(
                            entry(type, target, alias, challenger, by)
                                    .withDetail(summary(before) + " -> " + summary(after)));
                    return after;
                });
    }

    private AuditEntry entry(
            ModelEventType type,
            ModelMetadata target,
            String alias,
            ModelAliases.Challenger challenger,
            Attribution by) {
        return new AuditEntry(
                UUID.randomUUID().toString(),
                clock.instant(),
                by.actor(),
                type,
                target.name(),
                target.version(),
                alias,
                challenger == null ? ChallengerMode.NONE : challenger.mode(),
                challenger == null ? null : challenger.canaryShare(),
                target.sha256(),
                uri(target.name(), target.version()).toString(),
                null,
                by.reason());
    }

    @Override
    public int publishPending(String model) {
        // Checked without the lock first: services call this every few seconds for every model.
        if (pendingFrom(model) < 0) {
            return 0;
        }
        return locked(() -> flushPending(model));
    }

    /**
     * Appends to the audit log, then publishes, then moves the published offset past the entry; all
     * under the writer lock, so order holds. A registry from before the offset existed had every
     * entry published or reported as failed, so its offset starts at the end of its audit log.
     */
    private void record(AuditEntry entry) {
        Path file = modelDir(entry.model()).resolve(AUDIT_FILE);
        String line = RegistryJson.line(entry) + "\n";
        long start = 0;
        try {
            start = Files.exists(file) ? Files.size(file) : 0;
            if (!Files.exists(publishedFile(entry.model()))) {
                writePublished(entry.model(), start);
            }
            appendLine(file, line);
        } catch (IOException e) {
            // A partial line (a full disk) would stop every later change at its parse.
            truncateQuietly(file, start, e);
            throw new ModelRegistryException(
                    entry.type()
                            + " of model "
                            + entry.model()
                            + " "
                            + entry.version()
                            + " is stored, but auditing it in "
                            + file
                            + " failed",
                    e);
        }
        publish(entry, start + line.getBytes(StandardCharsets.UTF_8).length);
    }

    /** Publishes {@code entry}, then records that the audit log is published up to {@code end}. */
    private void publish(AuditEntry entry, long end) {
        try {
            publisher.publish(entry.toEvent());
        } catch (RuntimeException e) {
            throw new ModelRegistryException(
                    entry.type()
                            + " of model "
                            + entry.model()
                            + " "
                            + entry.version()
                            + " is stored and audited as event "
                            + entry.eventId()
                            + ", but publishing it failed: "
                            + e.getMessage()
                            + "; the model's next registry change publishes it first (`vigil model"
                            + " republish` is one)",
                    e);
        }
        try {
            writePublished(entry.model(), end);
        } catch (IOException e) {
            throw new ModelRegistryException(
                    "event "
                            + entry.eventId()
                            + " of model "
                            + entry.model()
                            + " is published, but recording that failed (it will be published"
                            + " again): "
                            + e.getMessage(),
                    e);
        }
    }

    /** {@link #flushPending} before a change: while it fails, the change is refused unmade. */
    private void publishPendingBeforeChange(String model) {
        try {
            flushPending(model);
        } catch (ModelRegistryException e) {
            throw new ModelRegistryException(
                    "refused, nothing changed: an earlier change of model "
                            + model
                            + " is still unpublished: "
                            + e.getMessage(),
                    e.getCause());
        }
    }

    /**
     * Under the writer lock: publishes the audit entries after the published offset, oldest first.
     * Stops at the first that fails, which the exception names; nothing else is changed.
     */
    private int flushPending(String model) {
        long from = pendingFrom(model);
        if (from < 0) {
            return 0;
        }
        Path file = modelDir(model).resolve(AUDIT_FILE);
        // Only the unpublished tail: the log keeps every change the model ever had.
        byte[] audit;
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            channel.position(from);
            audit = Channels.newInputStream(channel).readAllBytes();
        } catch (IOException e) {
            throw new ModelRegistryException("cannot read " + file + ": " + e.getMessage(), e);
        }
        int published = 0;
        for (int start = 0, end; start < audit.length; start = end) {
            int newline = indexOf(audit, (byte) '\n', start);
            end = newline < 0 ? audit.length : newline + 1;
            byte[] line = Arrays.copyOfRange(audit, start, end);
            if (new String(line, StandardCharsets.UTF_8).isBlank()) {
                continue;
            }
            AuditEntry entry;
            try {
                entry = RegistryJson.read(line, AuditEntry.class);
            } catch (IOException e) {
                throw new ModelRegistryException(
                        "cannot read the unpublished audit entry at byte "
                                + (from + start)
                                + " of "
                                + file
                                + ": "
                                + e.getMessage(),
                        e);
            }
            publish(entry, from + end);
            published++;
        }
        return published;
    }

    /**
     * The byte of the audit log from which entries are unpublished, or -1 when none are (or the
     * model has no published offset yet: nothing was recorded since it was introduced).
     */
    private long pendingFrom(String model) {
        Path offsetFile = publishedFile(model);
        Path auditFile = modelDir(model).resolve(AUDIT_FILE);
        try {
            long offset = Long.parseLong(Files.readString(offsetFile).trim());
            return offset < Files.size(auditFile) ? offset : -1;
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException | NumberFormatException e) {
            throw new ModelRegistryException(
                    "cannot read " + offsetFile + " or " + auditFile + ": " + e.getMessage(), e);
        }
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private Path publishedFile(String model) {
        return modelDir(model).resolve(PUBLISHED_FILE);
    }

    private void writePublished(String model, long offset) throws IOException {
        replace(publishedFile(model), Long.toString(offset).getBytes(StandardCharsets.US_ASCII));
    }

    /** Appends {@code line} (newline included) and forces it to disk. */
    private static void appendLine(Path file, String line) throws IOException {
        try (FileChannel channel =
                FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        }
    }

    private void writeVersion(Path dir, ModelMetadata stored, byte[] onnx) {
        Path staging = dir.getParent().resolve(".staging-" + UUID.randomUUID());
        try {
            Files.createDirectories(staging);
            Files.write(staging.resolve(ONNX_FILE), onnx, StandardOpenOption.CREATE_NEW);
            Files.write(
                    staging.resolve(METADATA_FILE),
                    RegistryJson.pretty(stored),
                    StandardOpenOption.CREATE_NEW);
            makeReadOnly(staging.resolve(ONNX_FILE));
            makeReadOnly(staging.resolve(METADATA_FILE));
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            makeReadOnly(dir);
        } catch (IOException e) {
            deleteQuietly(staging, e);
            throw new ModelRegistryException(
                    "cannot store model "
                            + stored.name()
                            + " "
                            + stored.version()
                            + " in "
                            + dir
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private void writeAliases(String model, ModelAliases aliases) {
        Path file = modelDir(model).resolve(ALIASES_FILE);
        try {
            replace(file, RegistryJson.pretty(aliases));
        } catch (IOException e) {
            throw new ModelRegistryException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Replaces {@code file} with {@code content} by a rename, so readers see one or the other. */
    private static void replace(Path file, byte[] content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            // On disk before the rename, so a power loss leaves the old content or the new.
            try (FileChannel channel =
                    FileChannel.open(
                            temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(
                    temp,
                    file,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(temp, e);
            throw e;
        }
    }

    /**
     * Runs {@code action} under the writer lock. A writer that holds it for longer than {@code
     * lockWait} (a hung CLI) refuses the change with a {@link TimeoutException} as the cause, so
     * services can tell it from a refusal and try again later.
     */
    private <T> T locked(Supplier<T> action) {
        long deadline = System.nanoTime() + lockWait.toNanos();
        try {
            if (!lock.tryLock(lockWait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw busy("another thread");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelRegistryException(
                    "interrupted waiting for the registry lock at " + root, e);
        }
        // The JVM lock orders threads; the file lock orders processes (two CLIs, a trainer).
        try (FileChannel channel =
                        FileChannel.open(
                                root.resolve(LOCK_FILE),
                                StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE);
                FileLock ignored = fileLock(channel, deadline)) {
            return action.get();
        } catch (IOException e) {
            throw new ModelRegistryException("cannot lock the registry at " + root, e);
        } finally {
            lock.unlock();
        }
    }

    private FileLock fileLock(FileChannel channel, long deadline) throws IOException {
        while (true) {
            FileLock held = channel.tryLock();
            if (held != null) {
                return held;
            }
            if (System.nanoTime() >= deadline) {
                throw busy("another process");
            }
            try {
                Thread.sleep(LOCK_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelRegistryException(
                        "interrupted waiting for the registry lock at " + root, e);
            }
        }
    }

    private ModelRegistryException busy(String holder) {
        String message =
                "the registry at "
                        + root
                        + " is locked by "
                        + holder
                        + "; gave up after "
                        + lockWait;
        return new ModelRegistryException(message, new TimeoutException(message));
    }

    private List<String> versionNames(String model) {
        Path dir = modelDir(model).resolve(VERSIONS_DIR);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(dir)) {
            return dirs.map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of("<cannot list: " + e.getMessage() + ">");
        }
    }

    private Path modelDir(String model) {
        return root.resolve(ModelMetadata.checkId("model name", model));
    }

    private Path versionDir(String model, String version) {
        return modelDir(model)
                .resolve(VERSIONS_DIR)
                .resolve(ModelMetadata.checkId("version of model " + model, version));
    }

    private static String summary(ModelAliases aliases) {
        StringBuilder s = new StringBuilder("champion=").append(aliases.champion());
        if (aliases.challenger() != null) {
            s.append(", challenger=")
                    .append(aliases.challenger().version())
                    .append(' ')
                    .append(aliases.challenger().mode());
            if (aliases.challenger().mode() == ChallengerMode.CANARY) {
                s.append(' ').append(aliases.challenger().canaryShare());
            }
        }
        return s.toString();
    }

    private static String summary(OfflineEvaluation evaluation) {
        StringBuilder s =
                new StringBuilder("test [")
                        .append(evaluation.from())
                        .append(", ")
                        .append(evaluation.to())
                        .append("), ")
                        .append(evaluation.protocol())
                        .append(" protocol, ")
                        .append(evaluation.rows())
                        .append(" rows, ")
                        .append(evaluation.frauds())
                        .append(" frauds");
        evaluation
                .metrics()
                .forEach(
                        (k, v) ->
                                s.append(", ")
                                        .append(k)
                                        .append('=')
                                        .append(String.format(Locale.ROOT, "%.4f", v)));
        return s.toString();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static void makeReadOnly(Path path) throws IOException {
        PosixFileAttributeView view =
                Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (view != null) {
            view.setPermissions(
                    PosixFilePermissions.fromString(
                            Files.isDirectory(path) ? "r-xr-xr-x" : "r--r--r--"));
        } else if (!path.toFile().setWritable(false, false)) {
            throw new IOException("cannot make " + path + " read-only");
        }
    }

    private static void truncateQuietly(Path file, long size, Exception failure) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private static void deleteQuietly(Path path, Exception failure) {
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            // never created
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
