package io.vigil.features.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.features.records.OnlineStoreWrite;
import io.vigil.schemas.feast.FeatureRow;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

/**
 * FeatureRow lives in the Flink-free schemas module; this pins that Flink treats it, and the
 * OnlineStoreWrite that carries it to the sink, as POJOs.
 */
class FeatureRowTypeTest {

    @Test
    void isAFlinkPojoWithoutKryoFields() {
        assertPojoWithoutKryo(FeatureRow.class, 5);
    }

    @Test
    void theOnlineStoreWriteIsAFlinkPojoWithoutKryoFields() {
        assertPojoWithoutKryo(OnlineStoreWrite.class, 5);
    }

    private static <T> void assertPojoWithoutKryo(Class<T> type, int fields) {
        TypeInformation<T> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<T> pojo = (PojoTypeInfo<T>) info;
        assertThat(pojo.getArity()).isEqualTo(fields);
        for (int i = 0; i < pojo.getArity(); i++) {
            assertThat(pojo.getTypeAt(i))
                    .as(pojo.getPojoFieldAt(i).getField().getName())
                    .isNotInstanceOf(GenericTypeInfo.class);
        }
    }
}
