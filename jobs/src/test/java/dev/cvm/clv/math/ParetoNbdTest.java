package dev.cvm.clv.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Pareto/NBD against REFERENCE.md section 3. */
class ParetoNbdTest {

    /** [V] exact MLE on the CDNOW csv summary. */
    static final ParetoNbd CDNOW_MLE = new ParetoNbd(0.553276, 10.577612, 0.606213, 11.667908);
    /** Parameters used by the lifetimes / pymc-marketing tests (BTYD walkthrough, 4 dp). */
    private static final ParetoNbd LIFETIMES = new ParetoNbd(0.5534, 10.5802, 0.6061, 11.6562);

    @Test
    void unconditionalExpectationSeries() {
        ParetoNbd m = new ParetoNbd(0.55, 10.56, 0.61, 11.64);
        double[] expected = {0, 0.05077821, 0.09916088, 0.14542507, 0.18979930, 0.23247466, 0.27361274, 0.31335159,
            0.35181024, 0.38909211};
        for (int t = 0; t <= 9; t++) {
            assertEquals(expected[t], m.expectedPurchases(t), 1e-8, "t=" + t);
        }
        assertEquals(1.47307, LIFETIMES.expectedPurchases(52), 1e-5);
        assertEquals(1.2134, CDNOW_MLE.expectedPurchases(39), 1e-4);
    }

    @Test
    void customer1516() {
        assertEquals(25.453777, LIFETIMES.conditionalExpectedPurchases(52, 26, 30.85714, 31), 1e-5);
        assertEquals(0.997873, LIFETIMES.probabilityAlive(26, 30.85714, 31), 1e-6);
        // lifetimes' own assertion: 25.46 within 0.01 with t_x = 30.86, P(alive) 0.9979 within 0.001
        assertEquals(25.46, LIFETIMES.conditionalExpectedPurchases(52, 26, 30.86, 31), 0.01);
        assertEquals(0.9979, LIFETIMES.probabilityAlive(26, 30.86, 31), 0.001);
    }

    @Test
    void increasingFrequencyParadox() {
        double[] expected = {0.705907, 0.144175, 0.022497, 0.003091};
        int[] xs = {10, 15, 20, 25};
        for (int i = 0; i < xs.length; i++) {
            assertEquals(expected[i], LIFETIMES.conditionalExpectedPurchases(52, xs[i], 20, 39), 1e-6, "x=" + xs[i]);
        }
        // BTYD's printed values come from its unrounded fit: agreement to ~0.05 %
        double[] btyd = {0.7062289, 0.1442396, 0.02250658, 0.00309267};
        for (int i = 0; i < xs.length; i++) {
            double v = LIFETIMES.conditionalExpectedPurchases(52, xs[i], 20, 39);
            assertEquals(btyd[i], v, 1e-3 * btyd[i], "x=" + xs[i]);
        }
    }

    @Test
    void probabilityAlive() {
        assertEquals(0.2942778, CDNOW_MLE.probabilityAlive(0, 0, 39), 1e-6);
        assertEquals(0.2941633, CDNOW_MLE.probabilityAlive(0, 0, 39), 2e-4); // BTYD's value, its own fit
        assertEquals(0.2950973, CDNOW_MLE.probabilityAlive(0, 0, 38.86), 1e-6);
        assertEquals(0.8691188, CDNOW_MLE.probabilityAlive(2, 30.43, 38.86), 1e-6);
        assertEquals(0.7494166, CDNOW_MLE.probabilityAlive(7, 29.43, 38.86), 1e-6);
        // purchase exactly at T: cannot have died unobserved
        assertEquals(1.0, CDNOW_MLE.probabilityAlive(3, 39, 39));
    }

    @Test
    void underflowPair() {
        ParetoNbd m = new ParetoNbd(0.55, 10.58, 0.61, 11.67);
        double a = m.conditionalExpectedPurchases(10, 132, 200, 200);
        double b = m.conditionalExpectedPurchases(10, 133, 200, 200);
        assertEquals(6.2060517889632418, a, 1e-9);
        assertEquals(6.2528722475748113, b, 1e-9);
        assertTrue(Math.abs(a - b) < 0.05);
        assertTrue(Double.isFinite(m.logLikelihood(1000, 10, 100)));
        double pa = m.probabilityAlive(1000, 10, 100);
        assertTrue(pa >= 0 && pa < 1e-300, "P(alive) " + pa);
    }

    @Test
    void quadratureAgreesWithSeries() {
        // both evaluation routes of ln A0 on histories where the series is well inside its range
        ParetoNbd[] models = {CDNOW_MLE, new ParetoNbd(0.8, 30, 1.5, 2), new ParetoNbd(0.3, 2, 0.4, 25),
            new ParetoNbd(2, 5, 3, 5)};
        int[][] hx = {{0}, {1}, {7}, {40}};
        for (ParetoNbd m : models) {
            for (int[] xs : hx) {
                int x = xs[0];
                double tx = x == 0 ? 0 : 12.5;
                double series = m.logA0(x, tx, 39);
                double quad = m.logA0Quadrature(x, tx, 39);
                assertEquals(series, quad, 1e-11 * Math.max(1, Math.abs(series)), m + " x=" + x);
            }
        }
    }

    @Test
    void extremeParameterRatiosStayFinite() {
        // alpha >> beta pushes the 2F1 argument to ~1: the quadrature route must take over
        ParetoNbd m = new ParetoNbd(0.5, 1e6, 0.7, 1e-3);
        double ll = m.logLikelihood(2, 5, 39);
        assertTrue(Double.isFinite(ll));
        ParetoNbd near = new ParetoNbd(0.5, 1e6, 0.7, 1e-3 * (1 + 1e-7));
        assertEquals(ll, near.logLikelihood(2, 5, 39), 1e-6);
        ParetoNbd rev = new ParetoNbd(0.5, 1e-3, 0.7, 1e6);
        assertTrue(Double.isFinite(rev.logLikelihood(0, 0, 39)));
        double pa = rev.probabilityAlive(0, 0, 39);
        assertTrue(pa > 0 && pa <= 1);
        // t_x just below T: cancellation route
        double close = CDNOW_MLE.logLikelihood(3, 39 - 1e-9, 39);
        assertEquals(CDNOW_MLE.logLikelihood(3, 39, 39), close, 1e-8);
    }

    @Test
    void sOneIsContinuous() {
        ParetoNbd at = new ParetoNbd(0.5, 10, 1.0, 12);
        ParetoNbd lo = new ParetoNbd(0.5, 10, 1.0 - 1e-6, 12);
        ParetoNbd hi = new ParetoNbd(0.5, 10, 1.0 + 1e-6, 12);
        assertEquals(0.5 * (lo.expectedPurchases(30) + hi.expectedPurchases(30)), at.expectedPurchases(30), 1e-9);
        assertEquals(0.5 * (lo.conditionalExpectedPurchases(30, 2, 10, 30)
                + hi.conditionalExpectedPurchases(30, 2, 10, 30)), at.conditionalExpectedPurchases(30, 2, 10, 30), 1e-9);
    }

    @Test
    void fitOnCsvSummaryReproducesPublishedMle() {
        List<RfmGroup> groups = CdnowFixtures.csvGroups();
        long start = System.nanoTime();
        ModelFit<ParetoNbd> fit = ParetoNbd.fit(groups);
        double seconds = (System.nanoTime() - start) / 1e9;
        FitResult r = fit.result();
        assertTrue(r.converged(), r.message());
        // LL tightly; beta loosely, the likelihood is flat along beta
        assertEquals(-9594.9739, r.logLikelihood(), 1e-4);
        assertEquals(0.553276, r.param("r"), 2e-6);
        assertEquals(10.577612, r.param("alpha"), 2e-5);
        assertEquals(0.606213, r.param("s"), 2e-6);
        assertEquals(11.667908, r.param("beta"), 0.01);
        // the paper's rounded estimates and BTYD's are within 1e-3 of the optimum LL
        assertEquals(-9594.9740, new ParetoNbd(0.553, 10.578, 0.606, 11.669).logLikelihood(groups), 1e-3);
        assertEquals(-9594.9740, new ParetoNbd(0.553, 10.580, 0.606, 11.656).logLikelihood(groups), 1e-3);
        assertTrue(seconds < 3.0, "Pareto/NBD fit took " + seconds + " s");
    }

    @Test
    void holdoutBinsAndTracking() {
        ModelFit<ParetoNbd> fit = ParetoNbd.fit(CdnowFixtures.sampleGroups());
        // full-precision weeks, as BTYD: (0.553, 10.580, 0.606, 11.656..11.658), LL -9594.976
        FitResult r = fit.result();
        assertEquals(-9594.976, r.logLikelihood(), 1e-3);
        assertEquals(0.553, r.param("r"), 5e-4);
        assertEquals(10.580, r.param("alpha"), 5e-3);
        assertEquals(0.606, r.param("s"), 5e-4);
        assertEquals(11.657, r.param("beta"), 0.05);
        ParetoNbd model = fit.model();
        double[] expected = {0.1384, 0.5995, 1.1958, 1.7138, 2.3984, 2.9073, 3.8186, 6.4032};
        double[] sum = new double[8];
        int[] n = new int[8];
        for (CdnowFixtures.SampleCustomer c : CdnowFixtures.sampleCustomers()) {
            int bin = Math.min(c.x(), 7);
            sum[bin] += model.conditionalExpectedPurchases(39, c.x(), c.tx(), c.T());
            n[bin]++;
        }
        for (int bin = 0; bin < 8; bin++) {
            assertEquals(expected[bin], sum[bin] / n[bin], 1.5e-4, "bin " + bin);
        }
        List<CdnowFixtures.SampleCustomer> cs = CdnowFixtures.sampleCustomers();
        double maxT = cs.stream().mapToDouble(CdnowFixtures.SampleCustomer::T).max().orElseThrow();
        double[] cumulative = {1308.856, 1385.275, 1459.923, 1532.906, 1604.32, 1674.253};
        for (int week = 20; week <= 25; week++) {
            double cum = 0;
            for (CdnowFixtures.SampleCustomer c : cs) {
                cum += model.expectedPurchases(Math.max(0, week - (maxT - c.T())));
            }
            assertEquals(cumulative[week - 20], cum, 3e-4 * cum, "week " + week);
        }
    }

    @Test
    void seventyEightWeekRefit() {
        List<RfmGroup> groups78 = CdnowFixtures.groups(
                CdnowFixtures.summarize(CdnowFixtures.HOLDOUT_END, CdnowFixtures.HOLDOUT_END));
        FitResult r = ParetoNbd.fit(groups78).result();
        assertEquals(-17135.836, r.logLikelihood(), 2e-3);
        assertEquals(0.563004, r.param("r"), 2e-4);
        assertEquals(12.559169, r.param("alpha"), 1e-2);
        assertEquals(0.408107, r.param("s"), 2e-3);
        assertEquals(10.514546, r.param("beta"), 0.1);
        // 39-week LL at the 78-week parameters: [FHL-JMR] -9608, [V] -9608.25
        ParetoNbd m78 = new ParetoNbd(0.563004, 12.559169, 0.408107, 10.514546);
        assertEquals(-9608.25, m78.logLikelihood(CdnowFixtures.csvGroups()), 0.01);
    }

    @Test
    void rejectsInvalidInput() {
        assertThrows(IllegalArgumentException.class, () -> new ParetoNbd(1, 1, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> CDNOW_MLE.probabilityAlive(1, 5, 4));
        assertThrows(IllegalArgumentException.class, () -> CDNOW_MLE.expectedPurchases(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> ParetoNbd.fit(List.of()));
        assertThrows(IllegalArgumentException.class, () -> ParetoNbd.fit(List.of(RfmGroup.of(0, 0, 10))));
    }

    @Test
    void discountedExpectedTransactions() {
        // BTYD pnbd.DERT example: 78-week parameters, x = 1..10, t_x = 30, T = 77.86, delta = 0.0027
        ParetoNbd m78 = new ParetoNbd(0.5629966, 12.5590370, 0.4081095, 10.5148048);
        double[] dert = {2.199155, 2.843534, 2.867128, 2.445410, 1.840502, 1.262416, 0.809618, 0.494804, 0.292025,
            0.167928};
        for (int x = 1; x <= 10; x++) {
            assertEquals(dert[x - 1], m78.discountedExpectedTransactions(0.0027, x, 30, 77.86), 1e-6, "x=" + x);
        }
        // FHL-JMR iso-value grid and the paper's "paradox" pair (both about 2)
        double[][] grid = {{0, 0, 0.3648}, {9, 40, 2.2297}, {1, 77, 3.8087}, {7, 70, 17.5248}, {14, 77, 35.4778},
            {7, 35, 1.8642}, {1, 30, 2.1992}};
        for (double[] g : grid) {
            assertEquals(g[2], m78.discountedExpectedTransactions(0.0027, (int) g[0], g[1], 77.86), 5e-5,
                    "x=" + g[0] + " t_x=" + g[1]);
        }
        assertThrows(IllegalArgumentException.class, () -> m78.discountedExpectedTransactions(0, 1, 30, 77.86));
    }
}
