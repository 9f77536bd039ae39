package dev.cvm.clv.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Input records reject bad data with clear messages; aggregation merges identical histories. */
class InputValidationTest {

    @Test
    void rfmGroupRules() {
        assertMessage(() -> new RfmGroup(-1, 0, 10, 1), "x must be >= 0");
        assertMessage(() -> new RfmGroup(2, 11, 10, 1), "must not exceed age T");
        assertMessage(() -> new RfmGroup(2, -1, 10, 1), "t_x must be >= 0");
        assertMessage(() -> new RfmGroup(2, Double.NaN, 10, 1), "finite");
        assertMessage(() -> new RfmGroup(2, 1, Double.POSITIVE_INFINITY, 1), "finite");
        assertMessage(() -> new RfmGroup(0, 3, 10, 1), "must be 0 when x == 0");
        assertMessage(() -> new RfmGroup(1, 3, 10, 0), "weight");
        assertMessage(() -> new RfmGroup(1, 3, 10, Double.NaN), "weight");
        assertEquals(new RfmGroup(0, 0, 0, 1), RfmGroup.of(0, 0, 0)); // born at the calibration end
    }

    @Test
    void aggregationSumsWeights() {
        List<RfmGroup> merged = RfmGroup.aggregate(List.of(RfmGroup.of(1, 2, 3), RfmGroup.of(0, 0, 3),
                new RfmGroup(1, 2, 3, 2.5)));
        assertEquals(List.of(new RfmGroup(1, 2, 3, 3.5), RfmGroup.of(0, 0, 3)), merged);
        List<SpendGroup> spend = SpendGroup.aggregate(List.of(SpendGroup.of(2, 10), SpendGroup.of(2, 10),
                SpendGroup.of(3, 10)));
        assertEquals(List.of(new SpendGroup(2, 10, 2), SpendGroup.of(3, 10)), spend);
    }

    @Test
    void groupedAndUngroupedLikelihoodsAgree() {
        BgNbd m = BgNbdTest.CDNOW_MLE;
        double perCustomer = 0;
        for (CdnowFixtures.CsvCustomer c : CdnowFixtures.csvCustomers()) {
            perCustomer += m.logLikelihood(c.x(), c.tx(), c.T());
        }
        List<RfmGroup> groups = CdnowFixtures.csvGroups();
        assertEquals(2357, groups.stream().mapToDouble(RfmGroup::weight).sum());
        assertEquals(perCustomer, m.logLikelihood(groups), 1e-8);
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String fragment) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(fragment), "message '" + ex.getMessage() + "' lacks '" + fragment + "'");
    }
}
