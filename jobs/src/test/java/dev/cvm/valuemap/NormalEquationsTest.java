package dev.cvm.valuemap;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class NormalEquationsTest {
    private static final double EPS = 1e-9;

    /** The sums of the normal equations of rows {x_1..x_k, y}, as the Spark aggregation computes them. */
    private static NormalEquations of(double[][] rows) {
        int k = rows[0].length - 1;
        double[] sumX = new double[k];
        double[] sumXY = new double[k];
        double[][] sumXX = new double[k][k];
        double sumY = 0;
        for (double[] r : rows) {
            double y = r[k];
            sumY += y;
            for (int i = 0; i < k; i++) {
                sumX[i] += r[i];
                sumXY[i] += r[i] * y;
                for (int j = 0; j < k; j++) {
                    sumXX[i][j] += r[i] * r[j];
                }
            }
        }
        return new NormalEquations(rows.length, sumX, sumY, sumXX, sumXY);
    }

    @Test
    void exactLinearDataGivesItsCoefficients() {
        // y = 1 + 0.5 x1 + 0.3 x2 + 0.2 x3 exactly, on ratings that are not collinear.
        double[][] rows = new double[12][];
        for (int n = 0; n < rows.length; n++) {
            double x1 = 1 + n % 5, x2 = 2 + (n * 7) % 9, x3 = 3 + (n * n) % 4;
            rows[n] = new double[] {x1, x2, x3, 1 + 0.5 * x1 + 0.3 * x2 + 0.2 * x3};
        }
        NormalEquations.Fit fit = of(rows).nonNegative();
        assertNull(fit.problem());
        assertArrayEquals(new double[] {0.5, 0.3, 0.2}, fit.coefficients(), EPS);
        assertEquals(List.of(), fit.dropped());
    }

    @Test
    void negativeCoefficientIsFixedAtZeroAndTheRestRefitted() {
        // y = 2 x1 - 1 x2 + noise-free; x1 and x2 correlated, so clipping x2 alone would leave x1's coefficient wrong.
        double[][] rows = new double[10][];
        for (int n = 0; n < rows.length; n++) {
            double x1 = n, x2 = n + (n % 3);
            rows[n] = new double[] {x1, x2, 2 * x1 - x2};
        }
        NormalEquations eq = of(rows);
        NormalEquations.Fit fit = eq.nonNegative();
        assertEquals(List.of(1), fit.dropped());
        assertEquals(0.0, fit.coefficients()[1], 0);
        // The refit is simple regression of y on x1 alone.
        assertEquals(eq.solve(new int[] {0})[0], fit.coefficients()[0], 0);
        assertEquals(2 * 1 - slope(rows, 0, 1), fit.coefficients()[0], EPS);
    }

    /** The slope of x_b on x_a (simple regression), for the expected refit of y = 2 x1 - x2 on x1. */
    private static double slope(double[][] rows, int a, int b) {
        double ma = 0, mb = 0;
        for (double[] r : rows) {
            ma += r[a] / rows.length;
            mb += r[b] / rows.length;
        }
        double sab = 0, saa = 0;
        for (double[] r : rows) {
            sab += (r[a] - ma) * (r[b] - mb);
            saa += (r[a] - ma) * (r[a] - ma);
        }
        return sab / saa;
    }

    @Test
    void collinearRatingsHaveNoFit() {
        double[][] rows = new double[8][];
        for (int n = 0; n < rows.length; n++) {
            rows[n] = new double[] {n, 2 * n + 1, 3 + n};
        }
        NormalEquations.Fit fit = of(rows).nonNegative();
        assertNull(fit.coefficients());
        assertEquals("the ratings are collinear (no unique least-squares fit)", fit.problem());
    }

    @Test
    void everyCoefficientNegativeHasNoFit() {
        double[][] rows = new double[8][];
        for (int n = 0; n < rows.length; n++) {
            double x1 = n % 4, x2 = (n * 3) % 5;
            rows[n] = new double[] {x1, x2, 10 - x1 - x2};
        }
        NormalEquations.Fit fit = of(rows).nonNegative();
        assertEquals("every coefficient was negative", fit.problem());
        assertEquals(2, fit.dropped().size());
    }
}
