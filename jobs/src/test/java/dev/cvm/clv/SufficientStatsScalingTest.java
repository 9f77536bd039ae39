package dev.cvm.clv;

import dev.cvm.clv.math.RfmGroup;
import dev.cvm.clv.math.SpendGroup;
import dev.cvm.testing.SparkTestSupport;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.randn;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fit cost is linear in the number of groups (clv math notes: 0.1–0.2 ms per 1,000 groups per likelihood evaluation,
 * ~1,300 evaluations), and groups are all the driver holds. So the scale property to check is that the number of
 * groups handed to the fitter stops growing with the number of customers.
 */
class SufficientStatsScalingTest {
    static final int MAX_T_DAYS = 730;

    /** Daily-resolution summaries in weeks, two years of history, a skewed frequency: the worst case for groups. */
    static Dataset<Row> customers(long n, long seed) {
        // The random columns are drawn in one projection first: a rand() inside a when() branch only advances on
        // the rows that evaluate it, so reusing it in two places would not give the same value.
        Dataset<Row> u = SparkTestSupport.spark().range(n).select(rand(seed).as("u1"), rand(seed + 1).as("u2"),
                rand(seed + 2).as("u3"), randn(seed + 3).as("z"));
        Column tDays = floor(col("u1").multiply(MAX_T_DAYS - 30)).plus(30);
        Column x = floor(pow(col("u2"), 3).multiply(40)).cast(DataTypes.IntegerType);
        Column txDays = when(x.equalTo(0), lit(0.0)).otherwise(floor(col("u3").multiply(tDays.plus(1))));
        return u.select(x.as("x"), txDays.divide(7.0).as("t_x"), tDays.divide(7.0).as("T"),
                when(x.gt(0), exp(col("z").multiply(0.8).plus(3))).as("m"));
    }

    @Test
    void groupCountIsCappedWhateverTheNumberOfCustomers() {
        long cap = 3_000;
        SufficientStats.RfmGrouping small = SufficientStats.rfm(customers(20_000, 1), "x", "t_x", "T", 1.0, cap);
        SufficientStats.RfmGrouping large = SufficientStats.rfm(customers(400_000, 1), "x", "t_x", "T", 1.0, cap);
        assertEquals(20_000, small.nCustomers());
        assertEquals(400_000, large.nCustomers());
        assertTrue(large.exactGroups() > 30 * cap, "exact groups grow with the base: " + large.exactGroups());
        assertTrue(small.groups().size() <= cap && large.groups().size() <= cap,
                small.groups().size() + " / " + large.groups().size());
        assertTrue(large.resolution() >= small.resolution() && large.resolution() >= 1.0);
        double weight = 0;
        for (RfmGroup g : large.groups()) {
            weight += g.weight();
        }
        assertEquals(400_000, weight, 1e-9, "binning keeps every customer");
    }

    @Test
    void atAFixedResolutionGroupsSaturate() {
        // maxGroups = 0: always bin at 2 weeks. The count is bounded by (distinct x) * (k+1)(k+2)/2 with k = max T / 2
        // bins, whatever the base: 20x the customers gives far fewer than 20x the groups.
        SufficientStats.RfmGrouping small = SufficientStats.rfm(customers(20_000, 2), "x", "t_x", "T", 2.0, 0);
        SufficientStats.RfmGrouping large = SufficientStats.rfm(customers(400_000, 2), "x", "t_x", "T", 2.0, 0);
        long k = Math.round(MAX_T_DAYS / 7.0 / 2.0);
        long bound = 40 * (k + 1) * (k + 2) / 2;
        assertTrue(large.groups().size() <= bound, large.groups().size() + " > " + bound);
        assertTrue(large.groups().size() < 5L * small.groups().size(),
                small.groups().size() + " -> " + large.groups().size() + " groups for 20x the customers");
        for (RfmGroup g : large.groups()) {
            assertTrue(g.tx() <= g.T() && (g.x() > 0 || g.tx() == 0), g.toString());
        }
    }

    @Test
    void spendGroupsAreCappedToo() {
        SufficientStats.SpendGrouping s = SufficientStats.spend(customers(200_000, 3), "x", "m", 2_000);
        assertTrue(s.exactGroups() > 50_000, "continuous m: about one group per repeater, " + s.exactGroups());
        assertTrue(s.groups().size() <= 2_000, Integer.toString(s.groups().size()));
        double w = 0;
        for (SpendGroup g : s.groups()) {
            w += g.weight();
        }
        assertEquals(s.nCustomers(), w, 1e-9);
    }
}
