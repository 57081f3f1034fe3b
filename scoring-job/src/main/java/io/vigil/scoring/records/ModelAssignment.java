package io.vigil.scoring.records;

import java.util.Objects;

/**
 * Which model version a role should run, as the model events last said: kept in broadcast state so
 * a restored job loads the same versions before it scores anything.
 *
 * <p>A Flink POJO.
 */
public class ModelAssignment {

    public static final String CHAMPION = "champion";
    public static final String CHALLENGER = "challenger";

    public String role;
    public String model;
    public String version;
    public String uri;
    public String sha256;

    /** NONE for the champion; SHADOW or CANARY for a challenger. */
    public String mode;

    public double canaryShare;

    public ModelAssignment() {}

    public ModelAssignment(
            String role,
            String model,
            String version,
            String uri,
            String sha256,
            String mode,
            double canaryShare) {
        this.role = role;
        this.model = model;
        this.version = version;
        this.uri = uri;
        this.sha256 = sha256;
        this.mode = mode;
        this.canaryShare = canaryShare;
    }

    /** Same version file (what loading depends on), whatever the role or mode. */
    public boolean sameArtifact(ModelAssignment other) {
        return other != null
                && Objects.equals(model, other.model)
                && Objects.equals(version, other.version)
                && Objects.equals(sha256, other.sha256);
    }

    public String artifactKey() {
        return model + "@" + version + "#" + sha256;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelAssignment a
                && Objects.equals(role, a.role)
                && sameArtifact(a)
                && Objects.equals(uri, a.uri)
                && Objects.equals(mode, a.mode)
                && canaryShare == a.canaryShare;
    }

    @Override
    public int hashCode() {
        return Objects.hash(role, model, version, uri, sha256, mode, canaryShare);
    }

    @Override
    public String toString() {
        return role
                + "="
                + model
                + " "
                + version
                + (CHALLENGER.equals(role)
                        ? " " + mode + ("CANARY".equals(mode) ? " " + canaryShare : "")
                        : "");
    }
}
