package io.vigil.models.registry;

import io.vigil.models.ModelRegistryException;
import io.vigil.schemas.ChallengerMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The roles of one model's versions: the {@code champion} decides, an optional {@code challenger}
 * runs beside it, and {@code previousChampions} (most recent first) are where {@link #rolledBack}
 * returns to. Immutable: every transition returns a new value or refuses with a reason.
 */
public record ModelAliases(
        String model, String champion, Challenger challenger, List<String> previousChampions) {

    public static final String CHAMPION = "champion";
    public static final String CHALLENGER = "challenger";

    /**
     * A challenger version and how it takes part: {@code SHADOW} (scored and logged, never decides,
     * share 0) or {@code CANARY} (decides for a hash-selected {@code canaryShare} of customers).
     */
    public record Challenger(String version, ChallengerMode mode, double canaryShare) {

        public Challenger {
            Objects.requireNonNull(version, "challenger version");
            if (mode == ChallengerMode.SHADOW && canaryShare != 0) {
                throw new IllegalArgumentException(
                        "a SHADOW challenger never decides: its canary share must be 0, got "
                                + canaryShare);
            }
            if (mode == ChallengerMode.CANARY && !(canaryShare > 0 && canaryShare <= 1)) {
                throw new IllegalArgumentException(
                        "a CANARY challenger needs a canary share in (0, 1], got " + canaryShare);
            }
            if (mode != ChallengerMode.SHADOW && mode != ChallengerMode.CANARY) {
                throw new IllegalArgumentException(
                        "a challenger runs in SHADOW or CANARY mode, got " + mode);
            }
        }
    }

    public ModelAliases {
        Objects.requireNonNull(model, "model");
        previousChampions = List.copyOf(Objects.requireNonNullElse(previousChampions, List.of()));
    }

    /** A model without roles yet. */
    public static ModelAliases none(String model) {
        return new ModelAliases(model, null, null, List.of());
    }

    /** {@code version} decides from now on; the current champion, if any, can be rolled back to. */
    public ModelAliases withChampion(String version) {
        Objects.requireNonNull(version, "champion version");
        if (version.equals(champion)) {
            throw refused(version + " is already the champion");
        }
        if (challenger != null && version.equals(challenger.version())) {
            throw refused(version + " is the challenger: promote it instead");
        }
        return new ModelAliases(model, version, challenger, pushed(champion));
    }

    public ModelAliases withChallenger(Challenger next) {
        Objects.requireNonNull(next, "challenger");
        if (champion == null) {
            throw refused("there is no champion to challenge; set a champion first");
        }
        if (next.version().equals(champion)) {
            throw refused(next.version() + " is the champion; it cannot also be the challenger");
        }
        return new ModelAliases(model, champion, next, previousChampions);
    }

    public ModelAliases withoutChallenger() {
        if (challenger == null) {
            throw refused("there is no challenger to remove");
        }
        return new ModelAliases(model, champion, null, previousChampions);
    }

    /** The challenger becomes the champion; the old champion is kept for a rollback. */
    public ModelAliases promoted() {
        if (challenger == null) {
            throw refused("there is no challenger to promote");
        }
        return new ModelAliases(model, challenger.version(), null, pushed(champion));
    }

    /**
     * The previous champion decides again. A challenger stays unless it is that version, which
     * cannot hold both roles.
     */
    public ModelAliases rolledBack() {
        if (previousChampions.isEmpty()) {
            throw refused(
                    "there is no previous champion to roll back to (champion: " + champion + ")");
        }
        String restored = previousChampions.get(0);
        Challenger kept =
                challenger != null && challenger.version().equals(restored) ? null : challenger;
        return new ModelAliases(
                model, restored, kept, previousChampions.subList(1, previousChampions.size()));
    }

    /**
     * {@link #rolledBack()}, refused unless {@code version} is still the champion: whoever judged
     * that version must not roll back one promoted since.
     */
    public ModelAliases rolledBackFrom(String version) {
        if (!Objects.equals(champion, version)) {
            throw refused(
                    version
                            + " is no longer the champion (champion: "
                            + champion
                            + "); not rolled back");
        }
        return rolledBack();
    }

    /**
     * The canary challenger {@code version} stops deciding and stays on as a shadow, still scored
     * and logged; refused unless it is the challenger and in CANARY mode.
     */
    public ModelAliases withCanaryShadowed(String version) {
        if (challenger == null
                || !challenger.version().equals(version)
                || challenger.mode() != ChallengerMode.CANARY) {
            throw refused(
                    version
                            + " is not the canary challenger (challenger: "
                            + (challenger == null
                                    ? "none"
                                    : challenger.version() + " in " + challenger.mode())
                            + ")");
        }
        return new ModelAliases(
                model,
                champion,
                new Challenger(version, ChallengerMode.SHADOW, 0),
                previousChampions);
    }

    private List<String> pushed(String oldChampion) {
        List<String> history = new ArrayList<>();
        if (oldChampion != null) {
            history.add(oldChampion);
        }
        history.addAll(previousChampions);
        return history;
    }

    private ModelRegistryException refused(String why) {
        return new ModelRegistryException("model " + model + ": " + why);
    }
}
