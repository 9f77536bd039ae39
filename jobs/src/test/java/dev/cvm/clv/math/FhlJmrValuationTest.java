package dev.cvm.clv.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * FHL-JMR (2005) closed-form valuation of the full CDNOW cohort (REFERENCE.md section 5.2): 78-week
 * Pareto/NBD and Gamma-Gamma parameters, 30 % margin, δ = 0.0027 per week, infinite horizon.
 */
class FhlJmrValuationTest {

    @Test
    void zeroClassAndWholeCohortValue() {
        List<CdnowFixtures.SampleCustomer> cohort = CdnowFixtures.summarize(CdnowFixtures.rawMaster(),
                CdnowFixtures.HOLDOUT_END, CdnowFixtures.HOLDOUT_END);
        assertEquals(23_570, cohort.size());
        ParetoNbd pnbd = new ParetoNbd(0.5629966, 12.5590370, 0.4081095, 10.5148048);
        GammaGamma gg = new GammaGamma(4.683453, 4.189783, 24.390557);
        double margin = 0.30;
        double delta = 0.0027;
        Map<List<Double>, Double> detCache = new HashMap<>();
        int zeroClass = 0;
        int sumX = 0;
        double zeroValue = 0;
        double total = 0;
        for (CdnowFixtures.SampleCustomer c : cohort) {
            double det = detCache.computeIfAbsent(List.of((double) c.x(), c.tx(), c.T()),
                    k -> pnbd.discountedExpectedTransactions(delta, c.x(), c.tx(), c.T()));
            double clv = margin * gg.conditionalExpectedAverageSpend(c.x(), c.m()) * det;
            total += clv;
            sumX += c.x();
            if (c.x() == 0) {
                zeroClass++;
                zeroValue += clv;
            }
        }
        assertEquals(12_054, zeroClass);
        assertEquals(44_021, sumX);
        // published: about $4.40 each and $53,000 in total; [V] $4.389 and $52,906
        assertEquals(4.389, zeroValue / zeroClass, 1e-3);
        assertEquals(52_906, zeroValue, 5);
        // published: "just over $1.1 million"; [V] $1,139,929
        assertEquals(1_139_929, total, 100);
    }
}
