package io.vigil.features.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.feast.FeatureRow;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

/** FeatureRow lives in the Flink-free schemas module; this pins that Flink treats it as a POJO. */
class FeatureRowTypeTest {

    @Test
    void isAFlinkPojoWithoutKryoFields() {
        TypeInformation<FeatureRow> type = TypeInformation.of(FeatureRow.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<FeatureRow> pojo = (PojoTypeInfo<FeatureRow>) type;
        assertThat(pojo.getArity()).isEqualTo(5);
        for (int i = 0; i < pojo.getArity(); i++) {
            assertThat(pojo.getTypeAt(i))
                    .as(pojo.getPojoFieldAt(i).getField().getName())
                    .isNotInstanceOf(GenericTypeInfo.class);
        }
    }
}
