package io.vigil.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class FeatureDefinitionsTest {

    @Test
    void weekendIsSaturdayAndSundayUtc() {
        assertThat(request("2018-03-30T23:59:59.999Z")[1]).isZero(); // Friday
        assertThat(request("2018-03-31T00:00:00Z")[1]).isEqualTo(1); // Saturday
        assertThat(request("2018-04-01T23:59:59.999Z")[1]).isEqualTo(1); // Sunday
        assertThat(request("2018-04-02T00:00:00Z")[1]).isZero(); // Monday
    }

    @Test
    void nightIsMidnightToSixFiftyNineUtc() {
        assertThat(request("2018-04-02T00:00:00Z")[2]).isEqualTo(1);
        assertThat(request("2018-04-02T06:59:59.999Z")[2]).isEqualTo(1);
        assertThat(request("2018-04-02T07:00:00Z")[2]).isZero();
        assertThat(request("2018-04-02T23:59:59.999Z")[2]).isZero();
    }

    @Test
    void eventTimesBefore1970WorkToo() {
        assertThat(request("1969-12-28T03:00:00Z")).containsExactly(12.34, 1, 1); // a Sunday
    }

    @Test
    void amountIsInCurrencyUnits() {
        assertThat(request("2018-04-02T12:00:00Z")[0]).isEqualTo(12.34);
    }

    private static double[] request(String instant) {
        return FeatureDefinitions.requestFeatures(Instant.parse(instant).toEpochMilli(), 1_234);
    }
}
