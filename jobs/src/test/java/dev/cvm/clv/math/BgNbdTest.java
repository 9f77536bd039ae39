package dev.cvm.clv.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** BG/NBD formulas at fixed parameters, against REFERENCE.md section 2.2 / 2.3. */
class BgNbdTest {

    /** The rounded FHL (2005) CDNOW parameters. */
    private static final BgNbd PAPER = new BgNbd(0.243, 4.414, 0.793, 2.426);
    /** The BTYD walkthrough estimates. */
    private static final BgNbd BTYD = new BgNbd(0.2425982, 4.4136842, 0.7929899, 2.4261667);
    /** The exact MLE on the CDNOW csv summary ([V] / lifetimes). */
    static final BgNbd CDNOW_MLE = new BgNbd(0.242593, 4.413531, 0.792886, 2.425754);

    @Test
    void pmfAnchors() {
        assertEquals(0.57378635, PAPER.probabilityOfPurchases(39, 0), 1e-8);
        assertEquals(1.0786896e-07, PAPER.probabilityOfPurchases(2, 10), 1e-13);
        double[] expected = {0.0019995214, 0.0015170236, 0.0011633150, 0.0009003148, 0.0007023638,
            0.0005517902, 0.0004361913, 0.0003467171, 0.0002769613, 0.0002222260};
        for (int n = 11; n <= 20; n++) {
            assertEquals(expected[n - 11], PAPER.probabilityOfPurchases(30, n), 1e-10, "n=" + n);
        }
    }

    @Test
    void pmfSumsToOneAndMatchesMean() {
        double total = 0;
        double mean = 0;
        for (int n = 0; n < 3000; n++) {
            double pn = PAPER.probabilityOfPurchases(39, n);
            total += pn;
            mean += n * pn;
        }
        assertEquals(1.0, total, 1e-10);
        assertEquals(PAPER.expectedPurchases(39), mean, 1e-8);
        assertEquals(1.0, PAPER.probabilityOfPurchases(0, 0));
        assertEquals(0.0, PAPER.probabilityOfPurchases(0, 3));
    }

    @Test
    void unconditionalExpectationSeries() {
        double[] expected = {0.053268, 0.103390, 0.150865, 0.196068, 0.239288, 0.280756, 0.320659, 0.359152,
            0.396367, 0.432413};
        for (int t = 1; t <= 10; t++) {
            assertEquals(expected[t - 1], PAPER.expectedPurchases(t), 5e-7, "t=" + t);
        }
        assertEquals(0.0, PAPER.expectedPurchases(0));
        assertEquals(1.444004, BTYD.expectedPurchases(52), 1e-6); // BTYD prints 1.444004
        // [L-test] "Hardie excel sheet" values at the fitted parameters ([V] column)
        double[] ts = {0.1429, 1, 3, 31.8571, 32, 78};
        double[] ex = {0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8580};
        for (int i = 0; i < ts.length; i++) {
            assertEquals(ex[i], CDNOW_MLE.expectedPurchases(ts[i]), 6e-5, "t=" + ts[i]);
        }
    }

    @Test
    void probabilityAliveSeries() {
        double[] expected = {0.705627, 0.687091, 0.663866, 0.636546, 0.605614, 0.571552, 0.534885, 0.496212,
            0.456205, 0.415585, 0.375092, 0.335446, 0.297303, 0.261219, 0.227626, 0.196820};
        for (int x = 5; x <= 20; x++) {
            assertEquals(expected[x - 5], PAPER.probabilityAlive(x, 30, 39), 5e-7, "x=" + x);
        }
    }

    @Test
    void probabilityAliveEdgeCases() {
        assertEquals(1.0, PAPER.probabilityAlive(0, 0, 39));
        assertEquals(1.0, new BgNbd(1, 1, 1, 1).probabilityAlive(0, 0, 1));
        double extreme = CDNOW_MLE.probabilityAlive(1000, 10, 100);
        assertEquals(0.0, extreme);
        assertTrue(Double.isFinite(extreme));
        double e = CDNOW_MLE.conditionalExpectedPurchases(10, 1000, 10, 100);
        assertTrue(Double.isFinite(e) && e >= 0 && e < 1e-300, "E[Y] for a certainly-dead customer: " + e);
        assertTrue(Double.isFinite(CDNOW_MLE.logLikelihood(1000, 10, 100)));
    }

    @Test
    void customerOneAndSix() {
        assertEquals(1.225910, CDNOW_MLE.conditionalExpectedPurchases(39, 2, 30.43, 38.86), 2e-6);
        assertEquals(1.226028, PAPER.conditionalExpectedPurchases(39, 2, 30.43, 38.86), 2e-6);
        assertEquals(1.226, CDNOW_MLE.conditionalExpectedPurchases(39, 2, 30.43, 38.86), 1e-3);
        assertEquals(0.7266, CDNOW_MLE.probabilityAlive(2, 30.43, 38.86), 5e-5);
        assertEquals(3.337, CDNOW_MLE.conditionalExpectedPurchases(39, 7, 29.43, 38.86), 5e-4);
        assertEquals(0.6418, CDNOW_MLE.probabilityAlive(7, 29.43, 38.86), 5e-5);
    }

    @Test
    void btydCustomer1516AndParadox() {
        assertEquals(25.756538, BTYD.conditionalExpectedPurchases(52, 26, 30.85714, 31), 2e-5);
        assertEquals(0.968852, BTYD.probabilityAlive(26, 30.85714, 31), 1e-6);
        double[] paradox = {0.3474606, 0.04283391, 0.004158973, 0.0003583685};
        int[] xs = {10, 15, 20, 25};
        for (int i = 0; i < xs.length; i++) {
            double v = BTYD.conditionalExpectedPurchases(52, xs[i], 20, 39);
            assertEquals(paradox[i], v, paradox[i] * 1e-5, "x=" + xs[i]);
        }
        assertEquals(0.391569, PAPER.conditionalExpectedPurchases(2, 10, 35, 39), 1e-6);
    }

    @Test
    void topFiveOneWeekPredictions() {
        double[][] h = {{18, 35.14, 35.86}, {19, 34.00, 34.14}, {17, 28.43, 28.86}, {29, 37.71, 38.00},
            {26, 30.86, 31.00}};
        double[] expected = {0.424877, 0.474738, 0.486526, 0.662396, 0.710623};
        for (int i = 0; i < h.length; i++) {
            assertEquals(expected[i], CDNOW_MLE.conditionalExpectedPurchases(1, (int) h[i][0], h[i][1], h[i][2]),
                    2e-6, "customer " + i);
        }
    }

    @Test
    void note027StabilityAnchors() {
        BgNbd m = new BgNbd(0.25, 4.0, 0.8, 2.5);
        assertEquals(-0.59947382, m.logLikelihood(0, 0, 40), 1e-8);
        assertEquals(100.795693, m.logLikelihood(200, 38, 40), 1e-6);
    }

    @Test
    void conditionalExpectationIsConsistent() {
        // t -> 0 behaves like rate * t, small t must not lose precision (expm1 path)
        double small = CDNOW_MLE.conditionalExpectedPurchases(1e-9, 2, 30.43, 38.86);
        double tiny = CDNOW_MLE.conditionalExpectedPurchases(1e-8, 2, 30.43, 38.86);
        assertEquals(10.0, tiny / small, 1e-5);
        // a == 1 exactly is handled by continuity
        BgNbd a1 = new BgNbd(0.5, 5, 1.0, 3);
        double mid = a1.conditionalExpectedPurchases(20, 3, 10, 30);
        double lo = new BgNbd(0.5, 5, 1.0 - 1e-4, 3).conditionalExpectedPurchases(20, 3, 10, 30);
        double hi = new BgNbd(0.5, 5, 1.0 + 1e-4, 3).conditionalExpectedPurchases(20, 3, 10, 30);
        assertTrue(mid > Math.min(lo, hi) && mid < Math.max(lo, hi));
        assertEquals(0.5 * (lo + hi), mid, 1e-7);
        // a + b == 1 (pole of 2F1(r, b; a+b-1; z) cancelled by the prefactor) and a + b < 1
        BgNbd ab1 = new BgNbd(0.5, 5, 0.4, 0.6);
        double e1 = ab1.expectedPurchases(20);
        assertEquals(0.5 * (new BgNbd(0.5, 5, 0.4, 0.6 - 1e-4).expectedPurchases(20)
                + new BgNbd(0.5, 5, 0.4, 0.6 + 1e-4).expectedPurchases(20)), e1, 1e-7);
        assertTrue(Double.isFinite(new BgNbd(0.5, 5, 0.3, 0.4).expectedPurchases(20)));
        assertEquals(pmfMean(new BgNbd(0.5, 5, 0.3, 0.4), 20), new BgNbd(0.5, 5, 0.3, 0.4).expectedPurchases(20), 1e-6);
        // a customer with no history and T = 0 is a new customer
        assertEquals(CDNOW_MLE.expectedPurchases(39), CDNOW_MLE.conditionalExpectedPurchases(39, 0, 0, 0), 1e-12);
        // long horizon (lifetimes "D" mode on weekly data reaches 360 weeks)
        double far = CDNOW_MLE.conditionalExpectedPurchases(360, 29, 37.71, 38.00);
        assertTrue(Double.isFinite(far) && far > CDNOW_MLE.conditionalExpectedPurchases(100, 29, 37.71, 38.00));
    }

    /** E[X(t)] from the pmf, an independent route to the mean. */
    private static double pmfMean(BgNbd m, double t) {
        double mean = 0;
        for (int n = 1; n < 20000; n++) {
            mean += n * m.probabilityOfPurchases(t, n);
        }
        return mean;
    }

    @Test
    void rejectsInvalidInput() {
        assertThrows(IllegalArgumentException.class, () -> new BgNbd(0, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new BgNbd(Double.NaN, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> PAPER.probabilityAlive(2, 40, 39));
        assertThrows(IllegalArgumentException.class, () -> PAPER.probabilityAlive(-1, 0, 39));
        assertThrows(IllegalArgumentException.class, () -> PAPER.logLikelihood(2, Double.NaN, 39));
        assertThrows(IllegalArgumentException.class, () -> PAPER.conditionalExpectedPurchases(-1, 2, 3, 39));
        assertThrows(IllegalArgumentException.class, () -> PAPER.probabilityOfPurchases(1, -1));
        assertThrows(IllegalArgumentException.class, () -> PAPER.probabilityAlive(0, 3, 39));
    }
}
