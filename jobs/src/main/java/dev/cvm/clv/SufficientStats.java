package dev.cvm.clv;

import dev.cvm.CvmException;
import dev.cvm.clv.math.RfmGroup;
import dev.cvm.clv.math.SpendGroup;
import dev.cvm.spark.ExactSums;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;

/**
 * Turns per-customer summaries into the grouped sufficient statistics the fitters take, aggregated in Spark: only
 * the groups reach the driver, never customer rows, so the driver's memory and the fit time depend on the number
 * of groups and not on the number of customers.
 *
 * <p><b>Resolution.</b> The BG/NBD and Pareto/NBD likelihoods depend on a customer only through (x, t_x, T). With
 * daily data a large base has up to (days of history)² / 2 distinct (t_x, T) pairs per x, i.e. millions of groups
 * and minutes of fitting. So: if the exact number of groups is at most {@code maxGroups}, the exact values are used;
 * otherwise t_x and T are binned on a grid of step ρ = {@code resolution} (time units), then 2ρ, 4ρ, ... until the
 * number of groups is at most {@code maxGroups}. A group stands at the weighted mean (centroid) of its members'
 * t_x and T, not at the grid point, which halves the already small rounding error. The number of groups at step ρ
 * is at most (distinct x) × (max T / ρ + 1)(max T / ρ + 2) / 2 whatever the number of customers, and the doubling
 * makes {@code maxGroups} a hard bound (unless distinct x values alone exceed it, which is reported as an error).
 * {@code resolution = 0} always fits on exact values; {@code maxGroups = 0} applies the resolution unconditionally.
 *
 * <p>Gamma-Gamma depends on (x, m) with m continuous, so almost every repeater is its own group. When there are
 * more than {@code maxGroups} of them, m is binned on a log grid of relative step 0.1 % (then 0.2 %, ...), again
 * at the weighted mean of each bin.
 */
public final class SufficientStats {
    /** Relative step of the first spend grid: bins of ln m of width 0.001. */
    public static final double SPEND_LOG_RESOLUTION = 0.001;

    private SufficientStats() {}

    /**
     * Grouped (x, t_x, T).
     *
     * @param groups      what the fitter gets
     * @param nCustomers  customers behind the groups (sum of weights)
     * @param exactGroups distinct exact (x, t_x, T)
     * @param resolution  grid step used (time units; 0 = exact values)
     */
    public record RfmGrouping(List<RfmGroup> groups, long nCustomers, long exactGroups, double resolution) {}

    /**
     * Grouped (x, m) of repeaters with m &gt; 0.
     *
     * @param logResolution width of the ln m bins used (0 = exact values)
     */
    public record SpendGrouping(List<SpendGroup> groups, long nCustomers, long exactGroups, double logResolution) {}

    /** Groups the non-null (x, t_x, T) of {@code summary}; see the class comment for the resolution rule. */
    public static RfmGrouping rfm(Dataset<Row> summary, String x, String tx, String T, double resolution,
                                 long maxGroups) {
        Dataset<Row> exact = summary.where(col(x).isNotNull())
                .groupBy(col(x).cast(DataTypes.IntegerType).as("x"), col(tx).cast(DataTypes.DoubleType).as("tx"),
                        col(T).cast(DataTypes.DoubleType).as("T"))
                .agg(count(lit(1)).as("w"))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Row stats = exact.agg(count(lit(1)), sum(col("w")), max(col("T"))).first();
            long nExact = stats.getLong(0);
            long nCustomers = stats.isNullAt(1) ? 0 : stats.getLong(1);
            if (nExact == 0) {
                return new RfmGrouping(List.of(), 0, 0, 0);
            }
            if (resolution <= 0 || (maxGroups > 0 && nExact <= maxGroups)) {
                return new RfmGrouping(collectRfm(exact), nCustomers, nExact, 0);
            }
            double maxT = stats.getDouble(2);
            double rho = resolution;
            while (true) {
                Column w = col("w");
                Dataset<Row> coarse = exact
                        .groupBy(col("x"), floor(col("tx").divide(rho).plus(0.5)).as("bx"),
                                floor(col("T").divide(rho).plus(0.5)).as("bT"))
                        .agg(sum(w).as("w"), ExactSums.sum(col("tx").multiply(w), ExactSums.QUANTITY).as("stx"),
                                ExactSums.sum(col("T").multiply(w), ExactSums.QUANTITY).as("sT"))
                        .select(col("x"), col("stx").divide(col("w")).as("tx0"), col("sT").divide(col("w")).as("T"),
                                col("w"))
                        // centroids keep t_x <= T (each member has it); least() guards the last ulp
                        .select(col("x"), least(col("tx0"), col("T")).as("tx"), col("T"), col("w"))
                        .persist(StorageLevel.MEMORY_AND_DISK());
                try {
                    long n = coarse.count();
                    if (maxGroups <= 0 || n <= maxGroups) {
                        return new RfmGrouping(collectRfm(coarse), nCustomers, nExact, rho);
                    }
                    if (rho > 2 * maxT + 1) {
                        throw new CvmException(String.format(Locale.ROOT, "cannot bring %,d (x, t_x, T) groups "
                                + "below max-groups = %,d even with one t_x/T bin: there are too many distinct x "
                                + "values; raise the max-groups setting", n, maxGroups));
                    }
                } finally {
                    coarse.unpersist();
                }
                rho *= 2;
            }
        } finally {
            exact.unpersist();
        }
    }

    /** Groups (x, m) of the rows with x &gt;= 1 and m &gt; 0 (the Gamma-Gamma input). */
    public static SpendGrouping spend(Dataset<Row> summary, String x, String m, long maxGroups) {
        Dataset<Row> exact = summary.where(col(x).geq(1).and(col(m).gt(0)))
                .groupBy(col(x).cast(DataTypes.IntegerType).as("x"), col(m).cast(DataTypes.DoubleType).as("m"))
                .agg(count(lit(1)).as("w"))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Row stats = exact.agg(count(lit(1)), sum(col("w"))).first();
            long nExact = stats.getLong(0);
            long nCustomers = stats.isNullAt(1) ? 0 : stats.getLong(1);
            if (maxGroups <= 0 || nExact <= maxGroups) {
                return new SpendGrouping(collectSpend(exact), nCustomers, nExact, 0);
            }
            double eps = SPEND_LOG_RESOLUTION;
            while (true) {
                Column w = col("w");
                Dataset<Row> coarse = exact
                        .groupBy(col("x"), floor(log(col("m")).divide(eps).plus(0.5)).as("bm"))
                        // the weighted mean of m in the bin (stays inside the bin)
                        .agg(sum(w).as("w"), ExactSums.sum(col("m").multiply(w), ExactSums.MONEY).as("sm"))
                        .select(col("x"), col("sm").divide(col("w")).as("m"), col("w"))
                        .persist(StorageLevel.MEMORY_AND_DISK());
                try {
                    long n = coarse.count();
                    if (n <= maxGroups) {
                        return new SpendGrouping(collectSpend(coarse), nCustomers, nExact, eps);
                    }
                    if (eps > 50) {
                        throw new CvmException(String.format(Locale.ROOT, "cannot bring %,d (x, m) groups below "
                                + "max-groups = %,d: too many distinct x values; raise the max-groups setting",
                                n, maxGroups));
                    }
                } finally {
                    coarse.unpersist();
                }
                eps *= 2;
            }
        } finally {
            exact.unpersist();
        }
    }

    private static List<RfmGroup> collectRfm(Dataset<Row> groups) {
        List<RfmGroup> out = new ArrayList<>();
        // Sorted: the fit adds the groups' log-likelihoods in list order, which must not depend on the partitioning.
        // bounded: distinct (x, t_x, T) groups, binned to at most cvm.clv.max-groups.
        for (Row r : groups.select("x", "tx", "T", "w").orderBy("x", "tx", "T").collectAsList()) {
            out.add(new RfmGroup(r.getInt(0), r.getDouble(1), r.getDouble(2), ((Number) r.get(3)).doubleValue()));
        }
        return out;
    }

    private static List<SpendGroup> collectSpend(Dataset<Row> groups) {
        List<SpendGroup> out = new ArrayList<>();
        // bounded: distinct (x, m) groups, binned to at most cvm.clv.max-groups.
        for (Row r : groups.select("x", "m", "w").orderBy("x", "m").collectAsList()) {
            out.add(new SpendGroup(r.getInt(0), r.getDouble(1), ((Number) r.get(2)).doubleValue()));
        }
        return out;
    }
}
