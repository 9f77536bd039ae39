package dev.cvm.clv.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** sBG against Fader &amp; Hardie (2007), "How to Project Customer Retention". */
class ShiftedBetaGeometricTest {

    private static final double[] REGULAR = {1000, 869, 743, 653, 593, 551, 517, 491};
    private static final double[] HIGH_END = {1000, 631, 468, 382, 326, 289, 262, 241};

    @Test
    void fitsPublishedCohorts() {
        FitResult regular = ShiftedBetaGeometric.fit(REGULAR).result();
        assertTrue(regular.converged(), regular.message());
        assertEquals(0.668, regular.param("gamma"), 1e-3);
        assertEquals(3.806, regular.param("delta"), 1e-3);
        FitResult high = ShiftedBetaGeometric.fit(HIGH_END).result();
        assertEquals(0.704, high.param("gamma"), 1e-3);
        assertEquals(1.182, high.param("delta"), 1e-3);
        assertEquals(1000.0, high.nCustomers());
        assertTrue(high.standardError("gamma") > 0 && high.standardError("gamma") < 0.5);
    }

    @Test
    void survivalChurnAndRetentionAreConsistent() {
        ShiftedBetaGeometric m = new ShiftedBetaGeometric(0.668, 3.806);
        assertEquals(1.0, m.survival(0));
        double s = 1;
        for (int t = 1; t <= 12; t++) {
            double churn = m.churnProbability(t);
            assertEquals(s - churn, m.survival(t), 1e-14, "t=" + t);
            assertEquals(m.survival(t) / m.survival(t - 1), m.retentionRate(t), 1e-12);
            if (t > 1) {
                assertTrue(m.retentionRate(t) > m.retentionRate(t - 1), "retention rises with tenure");
            }
            s = m.survival(t);
        }
        // first-period churn is the Beta mean gamma/(gamma+delta)
        assertEquals(0.668 / (0.668 + 3.806), m.churnProbability(1), 1e-14);
    }

    @Test
    void logLikelihoodMatchesDirectSum() {
        ShiftedBetaGeometric m = new ShiftedBetaGeometric(0.704, 1.182);
        double direct = 0;
        for (int t = 1; t < HIGH_END.length; t++) {
            direct += (HIGH_END[t - 1] - HIGH_END[t]) * Math.log(m.churnProbability(t));
        }
        direct += HIGH_END[HIGH_END.length - 1] * Math.log(m.survival(HIGH_END.length - 1));
        assertEquals(direct, m.logLikelihood(HIGH_END), 1e-9);
    }

    @Test
    void discountedLifetimesMatchBruteForce() {
        ShiftedBetaGeometric m = new ShiftedBetaGeometric(0.668, 3.806);
        double d = 0.1;
        double del = 0;
        for (int t = 0; t < 5000; t++) {
            del += m.survival(t) / Math.pow(1 + d, t);
        }
        assertEquals(del, m.discountedExpectedLifetime(d), 1e-10);
        for (int n : new int[] {1, 2, 5}) {
            double derl = 0;
            for (int t = n; t < 5000; t++) {
                derl += m.survival(t) / m.survival(n - 1) / Math.pow(1 + d, t - n);
            }
            assertEquals(derl, m.discountedExpectedResidualLifetime(d, n), 1e-10, "n=" + n);
        }
        // DEL = 1 + DERL(n=1)/(1+d): today's payment plus the discounted future ones
        assertEquals(1 + m.discountedExpectedResidualLifetime(d, 1) / (1 + d), m.discountedExpectedLifetime(d), 1e-12);
    }

    @Test
    void rejectsInvalidTables() {
        assertThrows(IllegalArgumentException.class, () -> ShiftedBetaGeometric.fit(new double[] {1000, 900, 950}));
        assertThrows(IllegalArgumentException.class, () -> ShiftedBetaGeometric.fit(new double[] {1000, 900, -1}));
        assertThrows(IllegalArgumentException.class, () -> ShiftedBetaGeometric.fit(new double[] {1000, Double.NaN, 5}));
        assertThrows(IllegalArgumentException.class, () -> ShiftedBetaGeometric.fit(new double[] {0, 0, 0}));
        assertThrows(IllegalArgumentException.class, () -> ShiftedBetaGeometric.fit(new double[] {1000, 1000, 1000}));
        assertThrows(IllegalArgumentException.class, () -> new ShiftedBetaGeometric(0.5, 1).churnProbability(0));
    }
}
