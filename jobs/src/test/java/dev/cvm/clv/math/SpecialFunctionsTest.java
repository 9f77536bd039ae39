package dev.cvm.clv.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

/** Gauss hypergeometric function and log-space helpers against closed forms. */
class SpecialFunctionsTest {

    private static void assertRel(double expected, double actual, double rel, String msg) {
        assertEquals(expected, actual, rel * Math.abs(expected), msg);
    }

    @Test
    void logOneMinusZOverZ() {
        // 2F1(1, 1; 2; z) = -ln(1 - z) / z, including z close to 1 where ~1e5 terms are needed
        double[] zs = {1e-12, 1e-8, 0.1, 0.5, 0.9, 0.99, 0.999, 0.9999};
        for (double z : zs) {
            double exact = -Math.log1p(-z) / z;
            assertRel(exact, SpecialFunctions.hyp2f1(1, 1, 2, z), 2e-14, "z=" + z);
            // ln of the value: for tiny z, ln(1 + z/2 + z^2/3 + ...) must keep full relative precision
            double logExact = z < 1e-6 ? Math.log1p(z / 2 + z * z / 3) : Math.log(exact);
            assertRel(logExact, SpecialFunctions.logHyp2f1(1, 1, 2, z), 1e-13, "log, z=" + z);
        }
    }

    @Test
    void binomialIdentityIncludingHugeValues() {
        // 2F1(a, b; b; z) = (1 - z)^-a
        assertRel(Math.pow(0.05, -0.7), SpecialFunctions.hyp2f1(0.7, 3.3, 3.3, 0.95), 1e-13, "moderate");
        assertRel(Math.pow(0.001, -2.5), SpecialFunctions.hyp2f1(2.5, 0.4, 0.4, 0.999), 1e-12, "near 1");
        // 10^2302.6 overflows a double: only the log form can represent it (rescaled series)
        assertRel(-1000 * Math.log(0.1), SpecialFunctions.logHyp2f1(1000, 1000, 1000, 0.9), 1e-13, "a=b=c=1000");
        assertRel(-500 * Math.log(0.1), SpecialFunctions.logHyp2f1(500, 2, 2, 0.9), 1e-13, "a=500");
        assertThrows(ArithmeticException.class, () -> SpecialFunctions.hyp2f1(1000, 1000, 1000, 0.9));
    }

    @Test
    void inverseTrigonometricForms() {
        // 2F1(1/2, 1/2; 3/2; z^2) = arcsin(z)/z ; 2F1(1/2, 1; 3/2; z^2) = artanh(z)/z
        for (double z : new double[] {0.3, 0.9, 0.999}) {
            assertRel(Math.asin(z) / z, SpecialFunctions.hyp2f1(0.5, 0.5, 1.5, z * z), 1e-14, "asin z=" + z);
            double atanh = 0.5 * Math.log((1 + z) / (1 - z));
            assertRel(atanh / z, SpecialFunctions.hyp2f1(0.5, 1, 1.5, z * z), 1e-13, "atanh z=" + z);
        }
    }

    @Test
    void incompleteBetaForm() {
        // 2F1(a, 1-b; a+1; z) = a z^-a B_z(a, b) with large a and z near 1
        double[][] cases = {{50, 0.5, 0.99}, {3.5, 2.25, 0.7}, {200, 3, 0.995}};
        for (double[] c : cases) {
            double a = c[0];
            double b = c[1];
            double z = c[2];
            double logBz = Math.log(Beta.regularizedBeta(z, a, b, 1e-15, 100000)) + Beta.logBeta(a, b);
            double expected = Math.log(a) - a * Math.log(z) + logBz;
            assertEquals(expected, SpecialFunctions.logHyp2f1(a, 1 - b, a + 1, z), 1e-11, "a=" + a + " z=" + z);
        }
    }

    @Test
    void gaussSummationAtOne() {
        double a = 0.5;
        double b = 0.7;
        double c = 4.7; // c - a - b = 3.5 > 3, so F is three times differentiable at z = 1
        double gauss = Math.exp(Gamma.logGamma(c) + Gamma.logGamma(c - a - b) - Gamma.logGamma(c - a)
                - Gamma.logGamma(c - b));
        assertRel(gauss, SpecialFunctions.hyp2f1(a, b, c, 1.0), 1e-14, "z=1");
        // the series approaches the Gauss value with slope F'(1) = ab/c 2F1(a+1, b+1; c+1; 1);
        // second-order one-sided difference from the series at z = 1 - h and 1 - 2h
        double slope = a * b / c * SpecialFunctions.hyp2f1(a + 1, b + 1, c + 1, 1.0);
        double h = 1e-3;
        double diff = (3 * gauss - 4 * SpecialFunctions.hyp2f1(a, b, c, 1 - h)
                + SpecialFunctions.hyp2f1(a, b, c, 1 - 2 * h)) / (2 * h);
        assertRel(slope, diff, 1e-5, "derivative at 1");
        assertThrows(ArithmeticException.class, () -> SpecialFunctions.hyp2f1(1, 1, 2, 1.0));
    }

    @Test
    void terminatingPolynomial() {
        // 2F1(-3, 2; 5; 0.7) = 1 - 0.84 + 0.294 - 0.0392
        assertEquals(0.4148, SpecialFunctions.hyp2f1(-3, 2, 5, 0.7), 1e-15);
        assertEquals(1.0, SpecialFunctions.hyp2f1(0, 2, 5, 0.7));
        assertEquals(1.0, SpecialFunctions.hyp2f1(2, 3, 4, 0.0));
    }

    @Test
    void failsLoudly() {
        assertThrows(ArithmeticException.class, () -> SpecialFunctions.hyp2f1(1, 1, 2, 0.999999, 1000));
        assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.hyp2f1(1, 1, 2, -0.1));
        assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.hyp2f1(1, 1, 2, 1.1));
        assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.hyp2f1(1, 1, -2, 0.5));
        assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.hyp2f1(Double.NaN, 1, 2, 0.5));
        assertThrows(ArithmeticException.class, () -> SpecialFunctions.logHyp2f1(-1, 2, 1, 0.9)); // 1 - 1.8 < 0
        assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.logGamma(0));
        assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.logBeta(1, -1));
    }

    @Test
    void gammaAndBetaDelegates() {
        assertEquals(Math.log(24), SpecialFunctions.logGamma(5), 1e-14);
        assertEquals(Math.log(1.0 / 12), SpecialFunctions.logBeta(2, 3), 1e-14);
    }

    @Test
    void logSpaceHelpers() {
        assertEquals(Math.log(3), SpecialFunctions.logSumExp(Math.log(1), Math.log(2)), 1e-15);
        assertEquals(1000 + Math.log(2), SpecialFunctions.logSumExp(1000, 1000), 1e-12);
        assertEquals(5.0, SpecialFunctions.logSumExp(Double.NEGATIVE_INFINITY, 5.0));
        assertEquals(Math.log(1), SpecialFunctions.logDiffExp(Math.log(3), Math.log(2)), 1e-15);
        assertEquals(Math.log(1e-10), SpecialFunctions.logDiffExp(0, Math.log1p(-1e-10)), 1e-6);
        assertEquals(Double.NEGATIVE_INFINITY, SpecialFunctions.logDiffExp(2, 2));
        assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.logDiffExp(1, 2));
        assertEquals(800.0, SpecialFunctions.log1pExp(800), 1e-12);
        assertEquals(Math.exp(-800), SpecialFunctions.log1pExp(-800), 1e-320);
        assertEquals(Math.log(2), SpecialFunctions.log1pExp(0), 1e-16);
    }

    @Test
    void tricomiU() {
        // U(a, a+1, z) = z^-a
        assertRel(-0.7 * Math.log(0.3), SpecialFunctions.logTricomiU(0.7, 1.7, 0.3), 1e-13, "U(a,a+1,z)");
        // U(a, a, z) = e^z Γ(1−a, z) for a < 1, the case of the Pareto/NBD DET (small z)
        for (double[] c : new double[][] {{0.408, 0.2097}, {0.9, 2.5}, {0.05, 1e-3}}) {
            double a = c[0];
            double z = c[1];
            double expected = z + Gamma.logGamma(1 - a) + Math.log(Gamma.regularizedGammaQ(1 - a, z));
            assertRel(expected, SpecialFunctions.logTricomiU(a, a, z), 1e-12, "U(a,a,z) a=" + a);
        }
        // U(1, 1, 1) = e E1(1), E1(1) = 0.21938393439552029
        assertRel(Math.log(Math.E * 0.21938393439552029), SpecialFunctions.logTricomiU(1, 1, 1), 1e-14, "e E1(1)");
        // Kummer: U(a, b, z) = z^(1−b) U(a−b+1, 2−b, z)
        double lhs = SpecialFunctions.logTricomiU(1.5, 0.5, 0.8);
        double rhs = 0.5 * Math.log(0.8) + SpecialFunctions.logTricomiU(2.0, 1.5, 0.8);
        assertEquals(lhs, rhs, 1e-13);
        assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.logTricomiU(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.logTricomiU(1, 1, 0));
    }
}
