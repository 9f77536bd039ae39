package dev.cvm.clv.math;

import java.io.Serializable;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntToDoubleFunction;

/**
 * Discrete-time discounted customer lifetime value.
 *
 * <p><b>Transactional (non-contractual) CLV</b>, monthly cash flows discounted monthly:
 * <pre>
 *   CLV = Σ_{m=1..H} margin · E(M) · (E[Y(m·u)] − E[Y((m−1)·u)]) / (1 + d)^m
 * </pre>
 * where E[Y(t)] is the cumulative conditional expected number of purchases in the next t model time
 * units (e.g. {@link RepeatPurchaseModel#cumulativeExpectedPurchases}), u is the number of model time
 * units per month, d the discount rate per month, H the horizon in months and E(M) the expected value
 * per transaction (e.g. {@link GammaGamma#conditionalExpectedAverageSpend}). This is the loop of
 * lifetimes' {@code customer_lifetime_value}, where u is implied by its {@code freq} argument
 * ("W" → 4.345, "D" → 30, "H" → 720). Here u is explicit configuration: pass {@link #WEEKS_PER_MONTH}
 * for a model fitted in weeks and {@link #DAYS_PER_MONTH} for one fitted in days. (Passing 30 for a
 * weekly model reproduces lifetimes' Quickstart numbers, whose "12 months" are then 360 weeks.)
 *
 * <p><b>Subscription (contractual) CLV</b>, one payment per month while the customer is retained:
 * <pre>
 *   CLV = Σ_{m=1..H} marginPerMonth · S(m) / (1 + d)^m
 * </pre>
 * with S the survival function (e.g. {@link ShiftedBetaGeometric#survival}, or (1−p)^m for a constant
 * monthly churn probability p). Month 0 (the payment already being made today) is not included.
 */
public final class DiscountedClv {

    /** Weeks per month as used by lifetimes ({@code freq="W"}). */
    public static final double WEEKS_PER_MONTH = 4.345;
    /** Days per month as used by lifetimes ({@code freq="D"}). */
    public static final double DAYS_PER_MONTH = 30.0;
    /** Hours per month as used by lifetimes ({@code freq="H"}). */
    public static final double HOURS_PER_MONTH = 720.0;

    private DiscountedClv() {
    }

    /**
     * Settings of the transactional CLV.
     *
     * @param months              horizon H in months, {@code >= 1}
     * @param monthlyDiscountRate discount rate d per month, {@code >= 0} (e.g. 0.01)
     * @param timeUnitsPerMonth   u: model time units per month, {@code > 0} ({@link #WEEKS_PER_MONTH} for weekly models)
     * @param margin              profit margin applied to revenue, e.g. 1.0 for revenue or 0.3 for 30 %
     */
    public record Settings(int months, double monthlyDiscountRate, double timeUnitsPerMonth, double margin)
            implements Serializable {
        public Settings {
            if (months < 1) {
                throw new IllegalArgumentException("horizon must be >= 1 month, got " + months);
            }
            Checks.nonNegative("monthly discount rate", monthlyDiscountRate);
            Checks.positive("time units per month", timeUnitsPerMonth);
            if (!Double.isFinite(margin)) {
                throw new IllegalArgumentException("margin must be finite, got " + margin);
            }
        }
    }

    /**
     * Transactional CLV of one customer.
     *
     * @param cumulativeExpectedPurchases t ↦ E[Y(t)], expected purchases in the next t model time units
     * @param expectedAverageSpend        E(M), expected value per transaction (currency units)
     * @param settings                    horizon, discounting, time unit and margin
     * @return present value in currency units
     */
    public static double transactional(DoubleUnaryOperator cumulativeExpectedPurchases, double expectedAverageSpend,
                                       Settings settings) {
        double[] monthly = monthlyExpectedPurchases(cumulativeExpectedPurchases, settings);
        if (!Double.isFinite(expectedAverageSpend)) {
            throw new IllegalArgumentException("expected average spend must be finite, got " + expectedAverageSpend);
        }
        double clv = 0;
        double discount = 1;
        for (int m = 1; m <= settings.months(); m++) {
            discount /= 1 + settings.monthlyDiscountRate();
            clv += settings.margin() * expectedAverageSpend * monthly[m - 1] * discount;
        }
        return clv;
    }

    /** Convenience overload: CLV of the customer (x, t_x, T) under a repeat-purchase model. */
    public static double transactional(RepeatPurchaseModel model, int x, double tx, double T,
                                       double expectedAverageSpend, Settings settings) {
        return transactional(model.cumulativeExpectedPurchases(x, tx, T), expectedAverageSpend, settings);
    }

    /**
     * Undiscounted expected purchases per month: element m−1 is E[Y(m·u)] − E[Y((m−1)·u)].
     *
     * @throws ArithmeticException if the expectation function returns a non-finite value
     */
    public static double[] monthlyExpectedPurchases(DoubleUnaryOperator cumulativeExpectedPurchases, Settings settings) {
        if (cumulativeExpectedPurchases == null || settings == null) {
            throw new IllegalArgumentException("expectation function and settings must not be null");
        }
        double[] out = new double[settings.months()];
        double previous = 0; // E[Y(0)] = 0 by definition
        for (int m = 1; m <= settings.months(); m++) {
            double current = cumulativeExpectedPurchases.applyAsDouble(m * settings.timeUnitsPerMonth());
            if (!Double.isFinite(current)) {
                throw new ArithmeticException("expected purchases E[Y(" + m * settings.timeUnitsPerMonth()
                        + ")] is not finite: " + current);
            }
            out[m - 1] = current - previous;
            previous = current;
        }
        return out;
    }

    /**
     * Subscription CLV Σ_{m=1..H} marginPerMonth · S(m) / (1+d)^m.
     *
     * @param survival            m ↦ S(m), probability of still subscribing after m months (S(0) = 1)
     * @param marginPerMonth      margin earned per retained month (currency units)
     * @param months              horizon H in months, {@code >= 1}
     * @param monthlyDiscountRate discount rate d per month, {@code >= 0}
     */
    public static double subscription(IntToDoubleFunction survival, double marginPerMonth, int months,
                                      double monthlyDiscountRate) {
        if (survival == null) {
            throw new IllegalArgumentException("survival function must not be null");
        }
        if (months < 1) {
            throw new IllegalArgumentException("horizon must be >= 1 month, got " + months);
        }
        Checks.nonNegative("monthly discount rate", monthlyDiscountRate);
        if (!Double.isFinite(marginPerMonth)) {
            throw new IllegalArgumentException("margin per month must be finite, got " + marginPerMonth);
        }
        double clv = 0;
        double discount = 1;
        for (int m = 1; m <= months; m++) {
            double s = survival.applyAsDouble(m);
            if (!(s >= 0 && s <= 1)) {
                throw new IllegalArgumentException("survival S(" + m + ") must be in [0, 1], got " + s);
            }
            discount /= 1 + monthlyDiscountRate;
            clv += marginPerMonth * s * discount;
        }
        return clv;
    }

    /** Subscription CLV with survival from a fitted sBG model (its periods taken as months). */
    public static double subscription(ShiftedBetaGeometric model, double marginPerMonth, int months,
                                      double monthlyDiscountRate) {
        return subscription(model::survival, marginPerMonth, months, monthlyDiscountRate);
    }

    /** Subscription CLV with a constant monthly churn probability p: S(m) = (1−p)^m. */
    public static double subscriptionConstantChurn(double monthlyChurn, double marginPerMonth, int months,
                                                   double monthlyDiscountRate) {
        if (!(monthlyChurn >= 0 && monthlyChurn <= 1)) {
            throw new IllegalArgumentException("monthly churn probability must be in [0, 1], got " + monthlyChurn);
        }
        return subscription(m -> Math.pow(1 - monthlyChurn, m), marginPerMonth, months, monthlyDiscountRate);
    }
}
