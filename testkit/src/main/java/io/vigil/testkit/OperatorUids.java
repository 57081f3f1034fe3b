package io.vigil.testkit;

import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;

/**
 * The operator uids of a job graph. Savepoints map state to operators by uid, so a job's tests pin
 * the uids under which its released versions keep state: renaming one would make every earlier
 * savepoint restore only with {@code --allowNonRestoredState}, dropping that state.
 */
public final class OperatorUids {

    private OperatorUids() {}

    /** The uids of the operators {@code define} adds to an environment with {@code conf}. */
    public static Set<String> of(Configuration conf, Consumer<StreamExecutionEnvironment> define) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        define.accept(env);
        return env.getStreamGraph(false).getStreamNodes().stream()
                .map(StreamNode::getTransformationUID)
                .filter(Objects::nonNull)
                .collect(Collectors.toSet());
    }
}
