package dev.cvm.valuemap;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.SingularValueDecomposition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ordinary least squares of y on x<sub>1..k</sub> with an intercept, from the sums one pass over the data gives:
 * n, sum x<sub>i</sub>, sum y, sum x<sub>i</sub>x<sub>j</sub> and sum x<sub>i</sub>y. Solving needs only these
 * k(k+5)/2 + 2 numbers, so a fit (or k refits on subsets of the attributes) costs one aggregation however many
 * responses there are, and when the sums are exact the coefficients are the same bits on any cluster layout.
 * No Spark here: the value map's {@link RegressionWeights} aggregates, this solves.
 *
 * @param n     number of observations
 * @param sumX  sum of x_i
 * @param sumY  sum of y
 * @param sumXX sum of x_i x_j (symmetric, k x k)
 * @param sumXY sum of x_i y
 */
record NormalEquations(long n, double[] sumX, double sumY, double[][] sumXX, double[] sumXY) {
    /** Above this condition number of the centred cross-product matrix the attributes count as collinear. */
    static final double MAX_CONDITION = 1e12;

    /**
     * The non-negative least-squares outcome of {@link #nonNegative()}.
     *
     * @param coefficients one per attribute, 0 for the dropped ones; null when there is no fit
     * @param dropped      indices of the attributes fixed at 0, in the order they were dropped
     * @param problem      why there is no fit, or null
     */
    record Fit(double[] coefficients, List<Integer> dropped, String problem) {}

    int k() {
        return sumX.length;
    }

    /**
     * Coefficients of the least-squares fit on the attributes {@code active} (with an intercept, which is not
     * returned), in the order of {@code active}; null when their ratings are collinear.
     */
    double[] solve(int[] active) {
        int m = active.length;
        double[][] c = new double[m][m];
        double[] b = new double[m];
        for (int p = 0; p < m; p++) {
            int i = active[p];
            for (int q = 0; q < m; q++) {
                int j = active[q];
                c[p][q] = sumXX[i][j] - sumX[i] * sumX[j] / n;
            }
            b[p] = sumXY[i] - sumX[i] * sumY / n;
        }
        SingularValueDecomposition svd = new SingularValueDecomposition(new Array2DRowRealMatrix(c, false));
        if (!(svd.getSingularValues()[0] > 0) || !(svd.getConditionNumber() < MAX_CONDITION)) {
            return null;
        }
        return svd.getSolver().solve(new ArrayRealVector(b, false)).toArray();
    }

    /**
     * Non-negative coefficients by backward elimination: fit; while a coefficient is negative, fix the most negative
     * one at 0 (drop its attribute) and refit the others. Each refit is exact least squares on the attributes kept,
     * so the kept coefficients are the best fit given the zeros, unlike clipping, which keeps coefficients estimated
     * next to a negative one that compensated for them. The same solution as a full NNLS solver unless a dropped
     * attribute would turn positive again once others are dropped (strongly correlated attributes with opposite
     * effects).
     */
    Fit nonNegative() {
        boolean[] kept = new boolean[k()];
        Arrays.fill(kept, true);
        List<Integer> dropped = new ArrayList<>();
        while (true) {
            int[] active = java.util.stream.IntStream.range(0, k()).filter(i -> kept[i]).toArray();
            if (active.length == 0) {
                return new Fit(null, dropped, "every coefficient was negative");
            }
            double[] fitted = solve(active);
            if (fitted == null) {
                return new Fit(null, dropped, "the ratings are collinear (no unique least-squares fit)");
            }
            int worst = -1;
            for (int p = 0; p < fitted.length; p++) {
                if (fitted[p] < 0 && (worst < 0 || fitted[p] < fitted[worst])) {
                    worst = p;
                }
            }
            if (worst < 0) {
                double[] coefficients = new double[k()];
                for (int p = 0; p < active.length; p++) {
                    coefficients[active[p]] = fitted[p];
                }
                return new Fit(coefficients, dropped, null);
            }
            kept[active[worst]] = false;
            dropped.add(active[worst]);
        }
    }
}
