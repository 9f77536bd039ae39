package dev.cvm.clv.math;

import java.util.Collection;
import java.util.function.DoubleUnaryOperator;

/**
 * Common view of the non-contractual repeat-purchase models (BG/NBD, Pareto/NBD).
 *
 * <p>All times (t_x, T and horizons t) are in the time unit the model was fitted in (e.g. weeks);
 * x is the number of repeat purchases in the calibration period.
 */
public interface RepeatPurchaseModel {

    /** Log-likelihood of one customer with history (x, t_x, T). */
    double logLikelihood(int x, double tx, double T);

    /** Total weighted log-likelihood of a set of groups: Σ weight · logLikelihood. */
    default double logLikelihood(Collection<RfmGroup> groups) {
        double sum = 0;
        for (RfmGroup g : groups) {
            sum += g.weight() * logLikelihood(g.x(), g.tx(), g.T());
        }
        return sum;
    }

    /** Probability that a customer with history (x, t_x, T) is still alive at T. */
    double probabilityAlive(int x, double tx, double T);

    /** Expected number of purchases in (T, T + t] for a customer with history (x, t_x, T). */
    double conditionalExpectedPurchases(double t, int x, double tx, double T);

    /** Expected number of repeat purchases in (0, t] for a randomly chosen new customer. */
    double expectedPurchases(double t);

    /**
     * The cumulative conditional expectation t ↦ E[Y(t) | x, t_x, T] as a function, ready for
     * {@link DiscountedClv}.
     */
    default DoubleUnaryOperator cumulativeExpectedPurchases(int x, double tx, double T) {
        Checks.history(x, tx, T); // fail at construction, not at the first call
        return t -> conditionalExpectedPurchases(t, x, tx, T);
    }
}
