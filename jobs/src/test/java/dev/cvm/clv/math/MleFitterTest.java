package dev.cvm.clv.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The generic fitter on problems with closed-form answers, and its failure reporting. */
class MleFitterTest {

    private static final double[] DATA = {1.2, 3.4, 2.2, 0.7, 5.1, 2.9, 3.3, 1.8, 2.6, 4.0};

    /** Normal log-likelihood in (mu, sigma), both positive here. */
    private static double normalLl(double[] p) {
        double ll = 0;
        for (double x : DATA) {
            double d = (x - p[0]) / p[1];
            ll += -0.5 * d * d - Math.log(p[1]) - 0.5 * Math.log(2 * Math.PI);
        }
        return ll;
    }

    @Test
    void normalMleAndStandardErrors() {
        FitResult r = new MleFitter().maximize(List.of("mu", "sigma"), MleFitterTest::normalLl, DATA.length,
                List.of(new double[] {1, 1}, new double[] {10, 0.1}));
        double n = DATA.length;
        double mean = 0;
        for (double x : DATA) {
            mean += x / n;
        }
        double ss = 0;
        for (double x : DATA) {
            ss += (x - mean) * (x - mean);
        }
        double sigma = Math.sqrt(ss / n);
        assertTrue(r.converged(), r.message());
        assertEquals(mean, r.param("mu"), 1e-9);
        assertEquals(sigma, r.param("sigma"), 1e-9);
        assertEquals(sigma / Math.sqrt(n), r.standardError("mu"), 1e-7);
        assertEquals(sigma / Math.sqrt(2 * n), r.standardError("sigma"), 1e-7);
        assertEquals(normalLl(new double[] {mean, sigma}), r.logLikelihood(), 1e-12);
        assertEquals(r.logLikelihood() / n, r.objective(), 1e-12);
        assertEquals(n, r.nCustomers());
        assertTrue(r.evaluations() > 0);
    }

    @Test
    void penalizerFollowsLifetimesConvention() {
        // Poisson rate: maximise (sum x ln θ − n θ)/n − λ θ² ⇒ θ = (−1 + sqrt(1 + 8 λ x̄)) / (4 λ)
        double n = 50;
        double xbar = 3.0;
        double lambda = 0.1;
        FitOptions opts = FitOptions.defaults().withPenalizer(lambda);
        FitResult r = new MleFitter(opts).maximize(List.of("rate"), p -> n * (xbar * Math.log(p[0]) - p[0]), n,
                List.of(new double[] {1}));
        assertEquals((-1 + Math.sqrt(1 + 8 * lambda * xbar)) / (4 * lambda), r.param("rate"), 1e-9);
        assertEquals(n * (xbar * Math.log(r.param("rate")) - r.param("rate")), r.logLikelihood(), 1e-9);
        FitResult unpenalized = new MleFitter().maximize(List.of("rate"), p -> n * (xbar * Math.log(p[0]) - p[0]), n,
                List.of(new double[] {1}));
        assertEquals(xbar, unpenalized.param("rate"), 1e-9);
    }

    @Test
    void penalizedBgNbdShrinksParameters() {
        FitResult plain = BgNbd.fit(CdnowFixtures.csvGroups()).result();
        FitResult pen = BgNbd.fit(CdnowFixtures.csvGroups(), FitOptions.defaults().withPenalizer(0.01)).result();
        assertTrue(pen.converged(), pen.message());
        double s0 = 0;
        double s1 = 0;
        for (int i = 0; i < 4; i++) {
            s0 += plain.params()[i] * plain.params()[i];
            s1 += pen.params()[i] * pen.params()[i];
        }
        assertTrue(s1 < s0, "penalty must shrink sum(theta^2)");
        assertTrue(pen.logLikelihood() < plain.logLikelihood());
    }

    @Test
    void boundaryOptimumIsReportedNotReturnedSilently() {
        // LL increasing in θ without bound: the "optimum" runs to exp(30)
        MleFitter loud = new MleFitter();
        MleFitException e = assertThrows(MleFitException.class,
                () -> loud.maximize(List.of("theta"), p -> Math.log(p[0]), 1, List.of(new double[] {1})));
        assertNotNull(e.result());
        assertTrue(e.getMessage().contains("boundary"), e.getMessage());
        FitResult quiet = new MleFitter(FitOptions.defaults().withFailOnNonConvergence(false))
                .maximize(List.of("theta"), p -> Math.log(p[0]), 1, List.of(new double[] {1}));
        assertFalse(quiet.converged());
        assertTrue(quiet.message().contains("boundary"), quiet.message());
        assertThrows(MleFitException.class, quiet::requireConverged);
    }

    @Test
    void nonFiniteLikelihoodEverywhereFails() {
        MleFitException e = assertThrows(MleFitException.class, () -> new MleFitter().maximize(List.of("a"),
                p -> Double.NaN, 1, List.of(new double[] {1})));
        assertTrue(e.getMessage().contains("not finite"), e.getMessage());
        assertThrows(MleFitException.class, () -> new MleFitter().maximize(List.of("a"), p -> {
            throw new ArithmeticException("series diverged");
        }, 1, List.of(new double[] {1})));
    }

    @Test
    void tooSmallBudgetIsReported() {
        FitOptions tiny = FitOptions.defaults().withMaxEvaluations(100).withFailOnNonConvergence(false);
        FitResult r = BgNbd.fit(CdnowFixtures.csvGroups(), tiny).result();
        assertTrue(r.message().contains("budget") || !r.converged(), r.message());
    }

    @Test
    void extraStartsAreUsed() {
        FitOptions opts = FitOptions.defaults().withExtraStarts(List.of(new double[] {0.25, 4.4, 0.8, 2.4}));
        FitResult r = BgNbd.fit(CdnowFixtures.csvGroups(), opts).result();
        assertEquals(0.242593, r.param("r"), 1e-6);
    }

    @Test
    void validatesArguments() {
        MleFitter f = new MleFitter();
        assertThrows(IllegalArgumentException.class, () -> f.maximize(List.of("a"), p -> 0, 1, List.of(new double[] {-1})));
        assertThrows(IllegalArgumentException.class,
                () -> f.maximize(List.of("a"), p -> 0, 1, List.of(new double[] {Double.NaN})));
        assertThrows(IllegalArgumentException.class, () -> f.maximize(List.of("a"), p -> 0, 1, List.of(new double[] {1, 2})));
        assertThrows(IllegalArgumentException.class, () -> f.maximize(List.of("a"), p -> 0, 0, List.of(new double[] {1})));
        assertThrows(IllegalArgumentException.class, () -> f.maximize(List.of("a"), p -> 0, 1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> FitOptions.defaults().withPenalizer(-1));
        assertThrows(IllegalArgumentException.class, () -> FitOptions.defaults().withMaxEvaluations(10));
    }
}
