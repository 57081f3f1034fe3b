package io.vigil.models.registry;

import io.vigil.schemas.ChallengerMode;
import io.vigil.schemas.ModelEvent;
import io.vigil.schemas.ModelEventType;
import java.time.Instant;
import java.util.Objects;

/**
 * One registry change as written to the audit log (one JSON line) and, with the same {@code
 * eventId}, published as a {@link ModelEvent}: who, when, what and why.
 *
 * @param version the version the change is about (for PROMOTED and ROLLED_BACK: the new champion)
 * @param detail a human-readable summary of the change, e.g. the aliases before and after
 */
public record AuditEntry(
        String eventId,
        Instant at,
        String actor,
        ModelEventType type,
        String model,
        String version,
        String alias,
        ChallengerMode challengerMode,
        Double canaryShare,
        String sha256,
        String uri,
        String detail,
        String reason) {

    public AuditEntry {
        Objects.requireNonNull(eventId, "event id");
        Objects.requireNonNull(at, "time");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(version, "version");
        challengerMode = Objects.requireNonNullElse(challengerMode, ChallengerMode.NONE);
    }

    public AuditEntry withDetail(String summary) {
        return new AuditEntry(
                eventId,
                at,
                actor,
                type,
                model,
                version,
                alias,
                challengerMode,
                canaryShare,
                sha256,
                uri,
                summary,
                reason);
    }

    public AuditEntry withReason(String why) {
        return new AuditEntry(
                eventId,
                at,
                actor,
                type,
                model,
                version,
                alias,
                challengerMode,
                canaryShare,
                sha256,
                uri,
                detail,
                why);
    }

    public ModelEvent toEvent() {
        return ModelEvent.newBuilder()
                .setEventId(eventId)
                .setEventTime(at)
                .setType(type)
                .setModel(model)
                .setVersion(version)
                .setAlias(alias)
                .setChallengerMode(challengerMode)
                .setCanaryShare(canaryShare)
                .setUri(uri)
                .setSha256(sha256)
                .setActor(actor)
                .setReason(reason)
                .build();
    }
}
