package io.vigil.testkit;

import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;

/**
 * The operator uids of a job graph. Savepoints map state to operators by uid, so a job's tests pin
 * the uids under which its released versions keep state: renaming one would make every earlier
 * savepoint restore only with {@code --allowNonRestoredState}, dropping that state.
 */
public final class OperatorUids {

    private OperatorUids() {}

    /** The uids of the operators defined in {@code env} so far. */
    public static Set<String> of(StreamExecutionEnvironment env) {
        return env.getStreamGraph(false).getStreamNodes().stream()
                .map(StreamNode::getTransformationUID)
                .filter(Objects::nonNull)
                .collect(Collectors.toSet());
    }
}
