package dev.cvm.clv;

import dev.cvm.CvmException;
import dev.cvm.config.ClvSettings;
import dev.cvm.config.CvmConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClvSettingsTest {
    @Test
    void defaults() {
        ClvSettings s = CvmConfig.parse("cvm.warehouse = /tmp/w").clv();
        assertEquals(12, s.horizonMonths());
        assertEquals(0.01, s.monthlyDiscountRate());
        assertEquals(0.3, s.margin());
        assertEquals(0.0, s.penalizer());
        assertEquals(1.0, s.groupResolution());
        assertEquals(10_000, s.maxGroups());
        assertTrue(s.fitParetoNbd());
        assertTrue(!CvmConfig.parse("cvm.clv.fit-pareto-nbd = false").clv().fitParetoNbd());
        assertEquals("week", s.timeUnit());
    }

    @Test
    void monthsArePinnedPerUnit() {
        assertEquals(30.4375, TimeUnit.DAY.unitsPerMonth(), 1e-15);
        assertEquals(30.4375 / 7, TimeUnit.WEEK.unitsPerMonth(), 1e-15);
        assertEquals(52.17857142857143, 12 * TimeUnit.WEEK.unitsPerMonth(), 1e-12, "12 months = one year");
        assertEquals(TimeUnit.WEEK, TimeUnit.parse(" Week "));
        assertThrows(IllegalArgumentException.class, () -> TimeUnit.parse("month"));
    }

    @Test
    void badValuesNameTheKey() {
        for (String bad : new String[] {"cvm.clv.margin = 1.5", "cvm.clv.monthly-discount-rate = -0.1",
                "cvm.clv.penalizer = -1", "cvm.clv.group-resolution = -1", "cvm.clv.max-groups = 10",
                "cvm.clv.horizon-months = 0", "cvm.clv.horizon = 12"}) {
            CvmException e = assertThrows(CvmException.class, () -> CvmConfig.parse(bad), bad);
            assertTrue(e.getMessage().contains(bad.substring(0, bad.indexOf(' '))), e.getMessage());
            assertEquals(2, e.exitCode());
        }
    }
}
