package dev.cvm.clv.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Discounted CLV against REFERENCE.md section 5.1. */
class DiscountedClvTest {

    private static final double[] WEEKLY = {36.278495, 4.637466, 8.344093, 8.344093, 8.344093, 283.523555, 6.881407,
        8.344093, 43.353642, 8.344093};
    /** lifetimes Quickstart values (freq "D" on weekly data) as [V] recomputed them. */
    private static final double[] LIFETIMES_D = {140.096202, 18.943465, 38.180573, 38.180573, 38.180573,
        1003.867983, 28.109680, 38.180573, 167.418205, 38.180573};
    /** The printed Quickstart values themselves (lifetimes' fit tolerance, ~1e-5 relative off). */
    private static final double[] QUICKSTART_D = {140.096211, 18.943467, 38.180574, 38.180574, 38.180574,
        1003.868107, 28.109683, 38.180574, 167.418216, 38.180574};

    @Test
    void cdnowQuickstartCustomers() {
        BgNbd bg = BgNbd.fit(CdnowFixtures.csvGroups()).model();
        GammaGamma gg = GammaGamma.fit(CdnowFixtures.csvSpendGroups()).model();
        DiscountedClv.Settings weekly = new DiscountedClv.Settings(12, 0.01, DiscountedClv.WEEKS_PER_MONTH, 1.0);
        DiscountedClv.Settings lifetimesD = new DiscountedClv.Settings(12, 0.01, DiscountedClv.DAYS_PER_MONTH, 1.0);
        List<CdnowFixtures.CsvCustomer> cs = CdnowFixtures.csvCustomers();
        double sumW = 0;
        double sumD = 0;
        for (int i = 0; i < cs.size(); i++) {
            CdnowFixtures.CsvCustomer c = cs.get(i);
            double spend = gg.conditionalExpectedAverageSpend(c.x(), c.zbar());
            double w = DiscountedClv.transactional(bg, c.x(), c.tx(), c.T(), spend, weekly);
            double d = DiscountedClv.transactional(bg, c.x(), c.tx(), c.T(), spend, lifetimesD);
            if (i < 10) {
                assertEquals(WEEKLY[i], w, 2e-6 * WEEKLY[i], "W, customer " + c.id());
                assertEquals(LIFETIMES_D[i], d, 2e-6 * LIFETIMES_D[i], "D, customer " + c.id());
                assertEquals(QUICKSTART_D[i], d, 2e-5 * QUICKSTART_D[i], "D quickstart, customer " + c.id());
            }
            sumW += w;
            sumD += d;
        }
        assertEquals(71509.90, sumW, 0.05);
        assertEquals(266621.56, sumD, 0.05); // [V] sums are rounded to the cent; fits agree to ~1e-7
    }

    @Test
    void btydMeanOverRepeatersInHourMode() {
        // lifetimes freq "H" on weekly data: u = 720 weeks per "month", horizon 8,640 weeks. This drives
        // the 2F1 argument to ~0.995 and checks the series far from its comfort zone.
        BgNbd bg = BgNbd.fit(CdnowFixtures.csvGroups()).model();
        GammaGamma gg = GammaGamma.fit(CdnowFixtures.csvSpendGroups()).model();
        DiscountedClv.Settings d = new DiscountedClv.Settings(12, 0.01, DiscountedClv.DAYS_PER_MONTH, 1.0);
        DiscountedClv.Settings h = new DiscountedClv.Settings(12, 0.01, DiscountedClv.HOURS_PER_MONTH, 1.0);
        double sumD = 0;
        double sumH = 0;
        int n = 0;
        for (CdnowFixtures.CsvCustomer c : CdnowFixtures.csvCustomers()) {
            if (c.x() == 0) {
                continue;
            }
            double spend = gg.conditionalExpectedAverageSpend(c.x(), c.zbar());
            sumD += DiscountedClv.transactional(bg, c.x(), c.tx(), c.T(), spend, d);
            sumH += DiscountedClv.transactional(bg, c.x(), c.tx(), c.T(), spend, h);
            n++;
        }
        assertEquals(946, n);
        assertEquals(218.38, sumD / n, 0.01); // [V]; btyd's Bayesian 222.5 +- 2.5
        assertEquals(809.26, sumH / n, 0.01); // [V]; btyd's Bayesian 841 +- 21
    }

    @Test
    void syntheticKnownValues() {
        List<RfmGroup> customers = CdnowFixtures.syntheticCustomers();
        assertEquals(5000, customers.size());
        assertEquals(RfmGroup.of(0, 0, 298), customers.get(0));
        assertEquals(RfmGroup.of(6, 142, 292), customers.get(2));
        FitResult r = BgNbd.fit(RfmGroup.aggregate(customers)).result();
        assertEquals(0.163851, r.param("r"), 2e-6);
        assertEquals(1.864280, r.param("alpha"), 2e-5);
        assertEquals(1.850343, r.param("a"), 2e-5);
        assertEquals(3.181058, r.param("b"), 5e-5);
        assertEquals(-39248.63, r.logLikelihood(), 0.01);
        BgNbd bg = new BgNbd(BgNbd.Params.of(r.params()));
        double[] expected = {0.016053, 0.021171, 0.030461, 0.031686, 0.001607};
        for (int i = 0; i < 5; i++) {
            RfmGroup g = customers.get(i);
            double pred = bg.conditionalExpectedPurchases(30, g.x(), g.tx(), g.T());
            assertEquals(expected[i], pred, 1e-6, "customer " + i);
            var curve = bg.cumulativeExpectedPurchases(g.x(), g.tx(), g.T());
            double oneMonth = DiscountedClv.transactional(curve, 1.0, settings(1, 0.0));
            assertEquals(pred, oneMonth, 1e-12);
            assertEquals(pred / 2, DiscountedClv.transactional(curve, 1.0, settings(1, 1.0)), 1e-12);
            double twoMonths = DiscountedClv.transactional(curve, 1.0, settings(2, 0.0));
            assertEquals(2 * pred, twoMonths, 0.1 * 2 * pred);
            assertEquals(bg.conditionalExpectedPurchases(60, g.x(), g.tx(), g.T()), twoMonths, 1e-12);
            assertEquals(0.75 * pred, DiscountedClv.transactional(curve, 1.0, settings(2, 1.0)), 0.1 * 0.75 * pred);
        }
    }

    private static DiscountedClv.Settings settings(int months, double discount) {
        return new DiscountedClv.Settings(months, discount, DiscountedClv.DAYS_PER_MONTH, 1.0);
    }

    @Test
    void marginAndDiscountingAlgebra() {
        // a linear cumulative curve (1 purchase / time unit) and u = 2 units per month: 2 purchases a month
        DiscountedClv.Settings s = new DiscountedClv.Settings(3, 0.1, 2.0, 0.3);
        double expected = 0.3 * 10 * 2 * (1 / 1.1 + 1 / 1.21 + 1 / 1.331);
        assertEquals(expected, DiscountedClv.transactional(t -> t, 10, s), 1e-12);
        double[] monthly = DiscountedClv.monthlyExpectedPurchases(t -> t * t, s);
        assertEquals(4.0, monthly[0], 1e-12);
        assertEquals(12.0, monthly[1], 1e-12);
        assertEquals(20.0, monthly[2], 1e-12);
        // Pareto/NBD plugs in the same way
        double p = DiscountedClv.transactional(ParetoNbdTest.CDNOW_MLE, 2, 30.43, 38.86, 20,
                new DiscountedClv.Settings(12, 0.0, DiscountedClv.WEEKS_PER_MONTH, 1.0));
        assertEquals(20 * ParetoNbdTest.CDNOW_MLE.conditionalExpectedPurchases(12 * DiscountedClv.WEEKS_PER_MONTH,
                2, 30.43, 38.86), p, 1e-10);
    }

    @Test
    void subscriptionClv() {
        // constant churn: closed-form geometric sum
        double p = 0.05;
        double d = 0.01;
        double q = (1 - p) / (1 + d);
        double closed = 10 * q * (1 - Math.pow(q, 24)) / (1 - q);
        assertEquals(closed, DiscountedClv.subscriptionConstantChurn(p, 10, 24, d), 1e-10);
        assertEquals(10 * 24, DiscountedClv.subscriptionConstantChurn(0, 10, 24, 0), 1e-12);
        // sBG: long horizon approaches margin * (DEL - 1), since DEL counts month 0 as well
        ShiftedBetaGeometric sbg = new ShiftedBetaGeometric(0.668, 3.806);
        double longRun = DiscountedClv.subscription(sbg, 1.0, 5000, d);
        assertEquals(sbg.discountedExpectedLifetime(d) - 1, longRun, 1e-8);
        assertTrue(DiscountedClv.subscription(sbg, 1.0, 12, d) < longRun);
    }

    @Test
    void rejectsInvalidSettings() {
        assertThrows(IllegalArgumentException.class, () -> new DiscountedClv.Settings(0, 0.01, 4.345, 1));
        assertThrows(IllegalArgumentException.class, () -> new DiscountedClv.Settings(12, -0.01, 4.345, 1));
        assertThrows(IllegalArgumentException.class, () -> new DiscountedClv.Settings(12, 0.01, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new DiscountedClv.Settings(12, 0.01, 4.345, Double.NaN));
        DiscountedClv.Settings s = new DiscountedClv.Settings(2, 0.01, 1, 1);
        assertThrows(ArithmeticException.class, () -> DiscountedClv.transactional(t -> Double.NaN, 1, s));
        assertThrows(IllegalArgumentException.class, () -> DiscountedClv.transactional(t -> t, Double.NaN, s));
        assertThrows(IllegalArgumentException.class, () -> DiscountedClv.subscriptionConstantChurn(1.5, 1, 12, 0));
        assertThrows(IllegalArgumentException.class, () -> DiscountedClv.subscription(m -> 2.0, 1, 12, 0));
    }
}
