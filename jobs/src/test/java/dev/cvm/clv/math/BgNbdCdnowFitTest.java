package dev.cvm.clv.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** BG/NBD maximum likelihood on the CDNOW sample (REFERENCE.md sections 1 and 2). */
class BgNbdCdnowFitTest {

    @Test
    void summaryRebuiltFromRawSampleMatchesCsv() {
        List<CdnowFixtures.SampleCustomer> sample = CdnowFixtures.sampleCustomers();
        List<CdnowFixtures.CsvCustomer> csv = CdnowFixtures.csvCustomers();
        assertEquals(2357, sample.size());
        assertEquals(2357, csv.size());
        int sumX = 0;
        int repeaters = 0;
        int holdout = 0;
        for (int i = 0; i < csv.size(); i++) {
            CdnowFixtures.SampleCustomer s = sample.get(i);
            CdnowFixtures.CsvCustomer c = csv.get(i);
            assertEquals(c.id(), s.id());
            assertEquals(c.x(), s.x(), "x of " + c.id());
            assertEquals(c.tx(), s.tx(), 0.005 + 1e-9, "t_x of " + c.id());
            assertEquals(c.T(), s.T(), 0.005 + 1e-9, "T of " + c.id());
            assertEquals(c.zbar(), s.m(), 0.005 + 1e-9, "zbar of " + c.id());
            sumX += s.x();
            repeaters += s.x() > 0 ? 1 : 0;
            holdout += s.xHoldout();
        }
        assertEquals(2457, sumX);
        assertEquals(946, repeaters);
        assertEquals(1882, holdout);
    }

    @Test
    void fitOnCsvSummaryReproducesPublishedMle() {
        List<RfmGroup> groups = CdnowFixtures.csvGroups();
        long start = System.nanoTime();
        ModelFit<BgNbd> fit = BgNbd.fit(groups);
        double seconds = (System.nanoTime() - start) / 1e9;
        FitResult r = fit.result();
        assertTrue(r.converged(), r.message());
        assertEquals(2357.0, r.nCustomers());
        assertEquals(0.242593, r.param("r"), 1e-6);
        assertEquals(4.413531, r.param("alpha"), 2e-6);
        assertEquals(0.792886, r.param("a"), 1e-6);
        assertEquals(2.425754, r.param("b"), 2e-6);
        assertEquals(-9582.4256, r.logLikelihood(), 1e-3);
        // standard errors: [V] 0.012557 0.378221 0.185718 0.705341; lifetimes 0.705345 for b
        assertEquals(0.012557, r.standardError("r"), 1e-6);
        assertEquals(0.378221, r.standardError("alpha"), 2e-6);
        assertEquals(0.185718, r.standardError("a"), 2e-6);
        assertEquals(0.705341, r.standardError("b"), 5e-6);
        assertTrue(seconds < 3.0, "BG/NBD fit on " + groups.size() + " groups took " + seconds + " s");
        // the paper's rounded parameters are within 0.0013 LL of the optimum
        assertEquals(-9582.4268, new BgNbd(0.243, 4.414, 0.793, 2.426).logLikelihood(groups), 1e-3);
        assertTrue(r.logLikelihood() >= new BgNbd(0.243, 4.414, 0.793, 2.426).logLikelihood(groups));
    }

    @Test
    void fitOnFullPrecisionSampleMatchesBtyd() {
        ModelFit<BgNbd> fit = BgNbd.fit(CdnowFixtures.sampleGroups());
        FitResult r = fit.result();
        assertTrue(r.converged(), r.message());
        // BTYD (full-precision weeks): 0.2425982 4.4136842 0.7929899 2.4261667, LL -9582.429
        assertEquals(0.2425982, r.param("r"), 5e-6);
        assertEquals(4.4136842, r.param("alpha"), 5e-4);
        assertEquals(0.7929899, r.param("a"), 5e-4);
        assertEquals(2.4261667, r.param("b"), 2e-3);
        assertEquals(-9582.429, r.logLikelihood(), 2e-2);
    }

    @Test
    void holdoutBinsMatchBtyd() {
        BgNbd model = BgNbd.fit(CdnowFixtures.sampleGroups()).model();
        double[] expectedModel = {0.2250893, 0.5231364, 1.044126, 1.520256, 2.163824, 2.653789, 3.503957, 6.157036};
        double[] expectedActual = {0.2367116, 0.6970387, 1.392523, 1.560000, 2.532258, 2.947368, 3.862069, 6.359375};
        int[] sizes = {1411, 439, 214, 100, 62, 38, 29, 64};
        double[] sumModel = new double[8];
        double[] sumActual = new double[8];
        int[] n = new int[8];
        for (CdnowFixtures.SampleCustomer c : CdnowFixtures.sampleCustomers()) {
            int bin = Math.min(c.x(), 7);
            sumModel[bin] += model.conditionalExpectedPurchases(39, c.x(), c.tx(), c.T());
            sumActual[bin] += c.xHoldout();
            n[bin]++;
        }
        for (int bin = 0; bin < 8; bin++) {
            assertEquals(sizes[bin], n[bin], "bin size " + bin);
            assertEquals(expectedActual[bin], sumActual[bin] / n[bin], 1e-6, "actual mean bin " + bin);
            assertEquals(expectedModel[bin], sumModel[bin] / n[bin], 2e-4 * expectedModel[bin], "model mean bin " + bin);
        }
        assertEquals(0.22509, sumModel[0] / n[0], 1e-5);
    }

    @Test
    void cumulativeTrackingMatchesBtyd() {
        // expected cumulative repeat transactions, customers "born" at max(T) - T_i weeks (BTYD convention)
        BgNbd model = BgNbd.fit(CdnowFixtures.sampleGroups()).model();
        List<CdnowFixtures.SampleCustomer> cs = CdnowFixtures.sampleCustomers();
        double maxT = cs.stream().mapToDouble(CdnowFixtures.SampleCustomer::T).max().orElseThrow();
        double[] expectedCum = {1312.458, 1387.346, 1460.392, 1531.713, 1601.418, 1669.6};
        for (int week = 20; week <= 25; week++) {
            double cum = 0;
            for (CdnowFixtures.SampleCustomer c : cs) {
                cum += model.expectedPurchases(Math.max(0, week - (maxT - c.T())));
            }
            assertEquals(expectedCum[week - 20], cum, 3e-4 * cum, "week " + week);
        }
    }

    @Test
    void scaleInvariance() {
        // refitting on (x, 10 t_x, 10 T) must leave P(alive) unchanged at the scaled history ([L-test])
        List<RfmGroup> scaled = CdnowFixtures.csvGroups().stream()
                .map(g -> new RfmGroup(g.x(), 10 * g.tx(), 10 * g.T(), g.weight())).toList();
        BgNbd base = BgNbd.fit(CdnowFixtures.csvGroups()).model();
        BgNbd ten = BgNbd.fit(scaled).model();
        assertEquals(base.probabilityAlive(1, 1, 2), ten.probabilityAlive(1, 10, 20), 1e-4);
        assertEquals(10 * base.params().alpha(), ten.params().alpha(), 1e-3 * ten.params().alpha());
    }
}
