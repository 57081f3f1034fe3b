package io.vigil.cli.retrain;

import io.vigil.models.registry.AuditEntry;
import io.vigil.models.registry.ModelAliases;
import io.vigil.schemas.ModelEventType;
import io.vigil.schemas.RetrainRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * What a model's audit log says was already done for one retrain request: the idempotency check of
 * the follower. Every change the follower makes for a request carries {@link #reason} as its
 * reason, which starts with the request id, so a redelivered request finds its own earlier work.
 *
 * @param registered versions registered for the request, in audit order
 * @param challenger the version made challenger for the request, or null
 */
public record RetrainAudit(List<String> registered, String challenger) {

    public RetrainAudit {
        registered = List.copyOf(registered);
    }

    /** The reason every registry change for {@code request} records. */
    public static String reason(RetrainRequest request) {
        return prefix(request.getRequestId())
                + request.getApprovedBy()
                + ", alerts "
                + (request.getAlertIds().isEmpty()
                        ? "none"
                        : String.join(",", request.getAlertIds()));
    }

    /** The earlier work for {@code requestId} in {@code audit} (a model's audit log). */
    public static RetrainAudit of(List<AuditEntry> audit, String requestId) {
        String prefix = prefix(requestId);
        List<String> registered = new ArrayList<>();
        String challenger = null;
        for (AuditEntry e : audit) {
            if (e.reason() == null || !e.reason().startsWith(prefix)) {
                continue;
            }
            if (e.type() == ModelEventType.REGISTERED) {
                registered.add(e.version());
            } else if (e.type() == ModelEventType.ALIAS_SET
                    && ModelAliases.CHALLENGER.equals(e.alias())) {
                challenger = e.version();
            }
        }
        return new RetrainAudit(registered, challenger);
    }

    /** Whether the request was handled to the end: its challenger was set. */
    public boolean handled() {
        return challenger != null;
    }

    // " approved by " ends the id, so request r1 does not find the work of r10.
    private static String prefix(String requestId) {
        return "retrain request " + requestId + " approved by ";
    }
}
