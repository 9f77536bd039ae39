package dev.cvm.clv;

import dev.cvm.clv.math.DiscountedClv;
import dev.cvm.clv.math.GammaGamma;
import dev.cvm.clv.math.RepeatPurchaseModel;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.List;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

/**
 * Per-customer predictions as a distributed map: the fitted model is broadcast once and evaluated inside the tasks
 * by a Java UDF over the (x, t_x, T) columns, so no customer row ever reaches the driver. The math is pure Java
 * (2F1 series), which is why this is a UDF and not a Column expression; the Gamma-Gamma expectation is a closed
 * form and stays a Column expression.
 */
public final class ClvScoring {
    public static final String P_ALIVE = "p_alive";
    public static final String EXPECTED_PURCHASES = "expected_purchases";
    /** Σ_m (E[Y(m·u)] − E[Y((m−1)·u)]) / (1+d)^m: discounted expected purchases over the CLV horizon. */
    public static final String DISCOUNTED_PURCHASES = "discounted_purchases";

    public static final StructType SCORE_TYPE = DataTypes.createStructType(List.of(
            DataTypes.createStructField(P_ALIVE, DataTypes.DoubleType, true),
            DataTypes.createStructField(EXPECTED_PURCHASES, DataTypes.DoubleType, true),
            DataTypes.createStructField(DISCOUNTED_PURCHASES, DataTypes.DoubleType, true)));

    private ClvScoring() {}

    /**
     * A struct column (p_alive, expected_purchases, discounted_purchases) for the customer (x, t_x, T); null when
     * x is null (no purchase history).
     *
     * @param horizon     time units for expected_purchases: E[Y(horizon) | x, t_x, T]
     * @param clvSettings months, discount and time units per month for discounted_purchases (margin ignored), or
     *                    null to leave it null
     */
    public static Column score(SparkSession spark, RepeatPurchaseModel model, Column x, Column tx, Column T,
                               double horizon, DiscountedClv.Settings clvSettings) {
        Broadcast<RepeatPurchaseModel> b = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model);
        DiscountedClv.Settings unitMargin = clvSettings == null ? null : new DiscountedClv.Settings(
                clvSettings.months(), clvSettings.monthlyDiscountRate(), clvSettings.timeUnitsPerMonth(), 1.0);
        UDF3<Integer, Double, Double, Row> f = (xi, txi, Ti) -> {
            if (xi == null || txi == null || Ti == null) {
                return null;
            }
            RepeatPurchaseModel m = b.value();
            double pAlive = m.probabilityAlive(xi, txi, Ti);
            double expected = m.conditionalExpectedPurchases(horizon, xi, txi, Ti);
            Double discounted = unitMargin == null ? null
                    : DiscountedClv.transactional(m.cumulativeExpectedPurchases(xi, txi, Ti), 1.0, unitMargin);
            return RowFactory.create(pAlive, expected, discounted);
        };
        // Non-deterministic only so the optimizer cannot inline the UDF once per struct field it extracts.
        UserDefinedFunction u = udf(f, SCORE_TYPE).asNondeterministic();
        return u.apply(x.cast(DataTypes.IntegerType), tx.cast(DataTypes.DoubleType), T.cast(DataTypes.DoubleType));
    }

    /**
     * Gamma-Gamma E(M | x, m) = p(v + x·m)/(p·x + q − 1) as a Column; the population mean p·v/(q − 1) when x is
     * 0 or null or m is null (a customer with no observed repeat spend), null instead when q &lt;= 1 (that mean is
     * infinite).
     */
    public static Column expectedAverageSpend(GammaGamma gg, Column x, Column m) {
        double p = gg.params().p();
        double q = gg.params().q();
        double v = gg.params().v();
        Column xd = x.cast(DataTypes.DoubleType);
        Column conditional = lit(p).multiply(lit(v).plus(xd.multiply(m)))
                .divide(xd.multiply(p).plus(q - 1));
        Column population = q > 1 ? lit(gg.populationMeanSpend()) : lit(null).cast(DataTypes.DoubleType);
        return when(x.isNull().or(x.leq(0)).or(m.isNull()), population).otherwise(conditional);
    }
}
