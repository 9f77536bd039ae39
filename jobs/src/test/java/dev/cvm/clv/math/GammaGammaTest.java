package dev.cvm.clv.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Gamma-Gamma against REFERENCE.md section 4. */
class GammaGammaTest {

    /** [V] exact MLE on the 946 CDNOW repeaters. */
    static final GammaGamma CDNOW_MLE = new GammaGamma(6.248803, 3.744588, 15.447746);
    private static final GammaGamma PAPER = new GammaGamma(6.25, 3.74, 15.44);

    @Test
    void fitOn946Repeaters() {
        List<SpendGroup> groups = CdnowFixtures.csvSpendGroups();
        assertEquals(946.0, groups.stream().mapToDouble(SpendGroup::weight).sum());
        ModelFit<GammaGamma> fit = GammaGamma.fit(groups);
        FitResult r = fit.result();
        assertTrue(r.converged(), r.message());
        assertEquals(6.248803, r.param("p"), 2e-5);
        assertEquals(3.744588, r.param("q"), 1e-5);
        assertEquals(15.447746, r.param("v"), 5e-5);
        assertEquals(-4055.9232, r.logLikelihood(), 1e-4);
        // the paper's -4659 is the density of the total spend: average-density LL minus sum(ln x)
        double sumLnX = groups.stream().mapToDouble(g -> g.weight() * Math.log(g.x())).sum();
        assertEquals(603.3725, sumLnX, 1e-4);
        assertEquals(-4659.2958, fit.model().logLikelihoodOfTotal(groups), 1e-4);
        assertEquals(r.logLikelihood() - sumLnX, fit.model().logLikelihoodOfTotal(groups), 1e-8);
        assertEquals(35.17, fit.model().populationMeanSpend(), 5e-3);
    }

    @Test
    void conditionalExpectedAverageSpendFirstTenCustomers() {
        List<CdnowFixtures.CsvCustomer> cs = CdnowFixtures.csvCustomers().subList(0, 10);
        double[] fitted = {24.658616, 18.911479, 35.171003, 35.171003, 35.171003, 71.462851, 18.911479, 35.171003,
            27.282407, 35.171003};
        double[] lifetimes = {24.658619, 18.911489, 35.170981, 35.170981, 35.170981, 71.462843, 18.911489, 35.170981,
            27.282408, 35.170981};
        for (int i = 0; i < 10; i++) {
            CdnowFixtures.CsvCustomer c = cs.get(i);
            double e = CDNOW_MLE.conditionalExpectedAverageSpend(c.x(), c.zbar());
            assertEquals(fitted[i], e, 1e-5, "customer " + c.id());
            assertEquals(lifetimes[i], e, 5e-5, "customer " + c.id());
        }
        double[] rounded = {24.6637, 18.9169, 35.2190, 35.2190, 35.2190, 71.4697, 18.9169, 35.2190, 27.2884, 35.2190};
        for (int i = 0; i < 10; i++) {
            CdnowFixtures.CsvCustomer c = cs.get(i);
            assertEquals(rounded[i], PAPER.conditionalExpectedAverageSpend(c.x(), c.zbar()), 1e-4);
        }
    }

    @Test
    void populationMeans() {
        GammaGamma model = GammaGamma.fit(CdnowFixtures.csvSpendGroups()).model();
        double sum = 0;
        double observed = 0;
        int repeaters = 0;
        for (CdnowFixtures.CsvCustomer c : CdnowFixtures.csvCustomers()) {
            sum += model.conditionalExpectedAverageSpend(c.x(), c.zbar());
            if (c.x() > 0) {
                observed += c.zbar();
                repeaters++;
            }
        }
        assertEquals(35.252958, sum / 2357, 1e-5);
        assertEquals(35.078552, observed / repeaters, 1e-6);
        assertEquals(35.2190, PAPER.populationMeanSpend(), 1e-4);
    }

    @Test
    void shrinkageTable() {
        double[][] cases = {{1, 100, 80.26}, {2, 100, 88.35}, {7, 100, 96.18}, {1, 20, 24.64}, {2, 20, 22.74},
            {7, 20, 20.90}};
        for (double[] c : cases) {
            assertEquals(c[2], PAPER.conditionalExpectedAverageSpend((int) c[0], c[1]), 5e-3);
        }
    }

    @Test
    void standardLogDensity() {
        assertEquals(-4.1702, PAPER.logLikelihood(50, 38), 1e-4);
    }

    @Test
    void seventyEightWeekRefit() {
        List<SpendGroup> groups = new ArrayList<>();
        for (CdnowFixtures.SampleCustomer c : CdnowFixtures.summarize(CdnowFixtures.HOLDOUT_END,
                CdnowFixtures.HOLDOUT_END)) {
            if (c.x() > 0) {
                groups.add(SpendGroup.of(c.x(), c.m()));
            }
        }
        FitResult r = GammaGamma.fit(SpendGroup.aggregate(groups)).result();
        assertEquals(4.683453, r.param("p"), 2e-4);
        assertEquals(4.189783, r.param("q"), 2e-4);
        assertEquals(24.390557, r.param("v"), 2e-3);
        assertEquals(35.81, new GammaGamma(r.param("p"), r.param("q"), r.param("v"))
                .populationMeanSpend(), 5e-3);
        // 39-week LL (total convention) at the 78-week parameters: [FHL-JMR] -4661, [V] -4661.41
        assertEquals(-4661.41, new GammaGamma(4.683453, 4.189783, 24.390557)
                .logLikelihoodOfTotal(CdnowFixtures.csvSpendGroups()), 0.01);
    }

    @Test
    void rejectsInvalidInput() {
        assertThrows(IllegalArgumentException.class, () -> SpendGroup.of(0, 10));
        assertThrows(IllegalArgumentException.class, () -> SpendGroup.of(2, 0));
        assertThrows(IllegalArgumentException.class, () -> SpendGroup.of(2, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new SpendGroup(2, 5, -1));
        assertThrows(IllegalArgumentException.class, () -> PAPER.logLikelihood(0, 10));
        assertThrows(IllegalArgumentException.class, () -> PAPER.conditionalExpectedAverageSpend(-1, 10));
        assertThrows(IllegalStateException.class, () -> new GammaGamma(1, 0.9, 1).populationMeanSpend());
        assertThrows(IllegalArgumentException.class, () -> GammaGamma.fit(List.of()));
        assertEquals(PAPER.populationMeanSpend(), PAPER.conditionalExpectedAverageSpend(0, 0));
    }
}
