package io.vigil.cli;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Whether a failure is transient: a long-running command's surroundings failed (Kafka, the
 * registry's files or lock), not what it was asked to do, so it tries again later instead of giving
 * up. The retrainer retries a request on one; the rollback guard retries its evaluation. Decided by
 * the types in the exception's cause chain; a failure is transient if any of them is
 *
 * <ul>
 *   <li>{@link KafkaTopics.KafkaUnavailableException}: Kafka did not answer, a read of the feature
 *       log made no progress, or a topic it reads is missing;
 *   <li>Kafka's {@link RetriableException} (its {@code TimeoutException} among them): the client
 *       itself says that trying again may succeed;
 *   <li>{@link TimeoutException}: something did not answer in time, e.g. publishing a model event;
 *   <li>an {@link IOException} other than {@link NoSuchFileException}: the registry's files or its
 *       lock (a full disk, a lost mount, a file a person must repair).
 * </ul>
 *
 * Anything else is permanent: for the retrainer, a request that fails validation (unknown model or
 * base version, bad window), has nothing to learn from, or whose training failed; for the guard, a
 * registry that refuses a change because the roles changed. A missing registry file stays missing,
 * so it is permanent too.
 */
public final class TransientFailures {

    private static final int MAX_CAUSES = 16;

    private TransientFailures() {}

    public static boolean isTransient(Throwable error) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
            if (t instanceof KafkaTopics.KafkaUnavailableException
                    || t instanceof RetriableException
                    || t instanceof TimeoutException
                    || (t instanceof IOException && !(t instanceof NoSuchFileException))) {
                return true;
            }
        }
        return false;
    }
}
