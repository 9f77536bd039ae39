package dev.cvm.clv.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

/**
 * Simulate from known parameters with a seeded RNG, fit, and require recovery.
 *
 * <p>Tolerance: every estimate within 4 of its own standard errors of the truth (a two-sided
 * 4-sigma band has a 6e-5 false-alarm rate per parameter under correct asymptotics), the standard
 * errors themselves small enough for that to be a real constraint, and the likelihood-ratio statistic
 * 2(LL(θ̂) − LL(θ)) below the 99.9 % χ² quantile for the number of parameters. A biased likelihood,
 * wrong simulation/likelihood convention or a broken optimiser fails these.
 */
class ParameterRecoveryTest {

    @Test
    void bgNbdRecovery() {
        double r = 0.25;
        double alpha = 4.0;
        double a = 0.8;
        double b = 2.5;
        RandomGenerator rng = new Well19937c(20240601L);
        GammaDistribution lambdaDist = new GammaDistribution(rng, r, 1 / alpha);
        BetaDistribution pDist = new BetaDistribution(rng, a, b);
        List<RfmGroup> customers = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            double T = 20 + 32 * rng.nextDouble(); // weeks, U(20, 52)
            double lambda = lambdaDist.sample();
            double p = pDist.sample();
            // Poisson purchases while alive; after each repeat purchase the customer drops out w.p. p
            double t = 0;
            int x = 0;
            double tx = 0;
            while (true) {
                t += -Math.log(1 - rng.nextDouble()) / lambda;
                if (t > T) {
                    break;
                }
                x++;
                tx = t;
                if (rng.nextDouble() < p) {
                    break;
                }
            }
            customers.add(RfmGroup.of(x, tx, T));
        }
        ModelFit<BgNbd> fit = BgNbd.fit(customers);
        FitResult res = fit.result();
        assertTrue(res.converged(), res.message());
        double[] truth = {r, alpha, a, b};
        assertRecovered(res, truth, 0.3);
        double llTrue = new BgNbd(r, alpha, a, b).logLikelihood(customers);
        double lr = 2 * (res.logLikelihood() - llTrue);
        assertTrue(lr >= -1e-6 && lr < 18.47, "LR statistic " + lr + " (chi2_4 99.9% = 18.47)");
    }

    @Test
    void gammaGammaRecovery() {
        double p = 6.0;
        double q = 4.0;
        double v = 15.0;
        RandomGenerator rng = new Well19937c(987654321L);
        GammaDistribution nuDist = new GammaDistribution(rng, q, 1 / v);
        List<SpendGroup> customers = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            int x = 1 + (int) Math.floor(-Math.log(1 - rng.nextDouble()) * 3); // 1, 2, ... geometric-like
            double nu = nuDist.sample();
            GammaDistribution spend = new GammaDistribution(rng, p, 1 / nu);
            double total = 0;
            for (int j = 0; j < x; j++) {
                total += spend.sample();
            }
            customers.add(SpendGroup.of(x, total / x));
        }
        FitResult res = GammaGamma.fit(customers).result();
        assertTrue(res.converged(), res.message());
        double[] truth = {p, q, v};
        assertRecovered(res, truth, 0.3);
        double llTrue = new GammaGamma(p, q, v).logLikelihood(customers);
        double lr = 2 * (res.logLikelihood() - llTrue);
        assertTrue(lr >= -1e-6 && lr < 16.27, "LR statistic " + lr + " (chi2_3 99.9% = 16.27)");
        // population mean spend recovered within 3 %
        assertEquals(p * v / (q - 1), new GammaGamma(res.param("p"), res.param("q"), res.param("v"))
                .populationMeanSpend(), 0.03 * p * v / (q - 1));
    }

    private static void assertRecovered(FitResult res, double[] truth, double maxRelativeSe) {
        for (int i = 0; i < truth.length; i++) {
            String name = res.paramNames().get(i);
            double est = res.params()[i];
            double se = res.standardErrors()[i];
            assertTrue(Double.isFinite(se) && se > 0, name + ": standard error " + se);
            assertTrue(se / truth[i] < maxRelativeSe, name + ": standard error " + se + " too large to test anything");
            assertEquals(truth[i], est, 4 * se, name + " = " + est + " (se " + se + ") vs truth " + truth[i]);
        }
    }
}
