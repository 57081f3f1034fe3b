package io.vigil.scoring.records;

import io.vigil.schemas.ModelEvent;

/**
 * The fields of a {@code ModelEvent} the job acts on, as a Flink POJO (the Avro class would need
 * Kryo).
 */
public class ModelChange {

    public String type;
    public String model;
    public String version;
    public String alias;
    public String mode;
    public double canaryShare;
    public String uri;
    public String sha256;

    public ModelChange() {}

    public static ModelChange of(ModelEvent event) {
        ModelChange change = new ModelChange();
        change.type = event.getType().name();
        change.model = event.getModel();
        change.version = event.getVersion();
        change.alias = event.getAlias();
        change.mode = event.getChallengerMode().name();
        change.canaryShare = event.getCanaryShare() == null ? 0 : event.getCanaryShare();
        change.uri = event.getUri();
        change.sha256 = event.getSha256();
        return change;
    }

    @Override
    public String toString() {
        return type + " " + model + " " + version + (alias == null ? "" : " as " + alias);
    }
}
