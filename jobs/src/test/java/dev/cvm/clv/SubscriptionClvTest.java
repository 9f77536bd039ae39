package dev.cvm.clv;

import dev.cvm.CvmException;
import dev.cvm.clv.math.DiscountedClv;
import dev.cvm.clv.math.RfmGroup;
import dev.cvm.testing.SparkTestSupport;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubscriptionClvTest {
    static final ClvModels.FitSettings FIT = new ClvModels.FitSettings(0, "cvm.clv.penalizer");
    static final StructType ACCOUNTS = DataTypes.createStructType(List.of(
            DataTypes.createStructField("account_id", DataTypes.StringType, false),
            DataTypes.createStructField("open_date", DataTypes.DateType, true),
            DataTypes.createStructField("close_date", DataTypes.DateType, true),
            DataTypes.createStructField("monthly_fee", DataTypes.DoubleType, true)));

    @Test
    void churnBasedClvIsTheClosedFormOfTheDiscountedSum() {
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("p", DataTypes.DoubleType, true),
                DataTypes.createStructField("fee", DataTypes.DoubleType, true)));
        double[] ps = {0, 1e-9, 0.001, 0.02, 0.3, 0.999, 1};
        List<Row> rows = new ArrayList<>();
        for (double p : ps) {
            rows.add(RowFactory.create(p, 50.0));
        }
        rows.add(RowFactory.create(null, 50.0));
        Dataset<Row> df = SparkTestSupport.spark().createDataFrame(rows, schema);
        for (double d : new double[] {0, 0.01, 0.5}) {
            for (int h : new int[] {1, 12, 60}) {
                List<Row> out = df.select(SubscriptionClv.churnBasedClv(col("p"), col("fee"), 0.3, d, h)).collectAsList();
                for (int i = 0; i < ps.length; i++) {
                    double expected = DiscountedClv.subscriptionConstantChurn(ps[i], 0.3 * 50, h, d);
                    assertEquals(expected, out.get(i).getDouble(0), 1e-10 * Math.max(1, expected),
                            "p=" + ps[i] + " d=" + d + " H=" + h);
                }
                assertTrue(out.get(ps.length).isNullAt(0), "null churn gives null");
            }
        }
    }

    @Test
    void horizonProbabilityToMonthly() {
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("p", DataTypes.DoubleType, true)));
        Dataset<Row> df = SparkTestSupport.spark().createDataFrame(List.of(RowFactory.create(0.2),
                RowFactory.create(0.0), RowFactory.create(1.0), RowFactory.create(1e-12), RowFactory.create(0.5)), schema);
        List<Row> out = df.select(SubscriptionClv.monthlyChurnFromHorizon(col("p"), 90)).collectAsList();
        double k = 365.25 / 12 / 90;
        assertEquals(1 - Math.pow(0.8, k), out.get(0).getDouble(0), 1e-15);
        assertEquals(0.0, out.get(1).getDouble(0));
        assertEquals(1.0, out.get(2).getDouble(0));
        assertEquals(1e-12 * k, out.get(3).getDouble(0), 1e-24);
        // a 30.4375-day horizon is a month: unchanged
        assertEquals(0.5, SparkTestSupport.spark().createDataFrame(List.of(RowFactory.create(0.5)), schema)
                .select(SubscriptionClv.monthlyChurnFromHorizon(col("p"), 365.25 / 12)).first().getDouble(0), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> SubscriptionClv.monthlyChurnFromHorizon(lit(0.1), 0));
    }

    /**
     * Fader &amp; Hardie (2007) "regular" customers: 1000, 869, 743, 653, 593, 551, 517, 491 → γ 0.668, δ 3.806
     * (REFERENCE.md / the math tests). Written as accounts of one open-month cohort, plus a cohort too young to
     * have renewed and accounts without a fee, which must not count.
     */
    @Test
    void cohortTableFromAccountsReproducesTheRegularSegment() {
        double[] regular = {1000, 869, 743, 653, 593, 551, 517, 491};
        LocalDate runDate = LocalDate.parse("2020-09-10");
        List<Row> rows = new ArrayList<>();
        int id = 0;
        for (int t = 1; t < regular.length; t++) {
            for (int k = 0; k < regular[t - 1] - regular[t]; k++) {
                LocalDate open = LocalDate.parse("2020-01-01").plusDays(id % 31);
                rows.add(RowFactory.create("a" + id++, open, open.plusMonths(t - 1).plusDays(3), 10.0));
            }
        }
        for (int k = 0; k < regular[regular.length - 1]; k++) {
            LocalDate open = LocalDate.parse("2020-01-01").plusDays(id % 31);
            // survivors: some closed after the 7 renewals every cohort member has had, some still open
            rows.add(RowFactory.create("a" + id++, open, k % 3 == 0 ? open.plusMonths(7).plusDays(20) : null, 10.0));
        }
        rows.add(RowFactory.create("young", LocalDate.parse("2020-08-20"), null, 10.0));
        rows.add(RowFactory.create("nofee", LocalDate.parse("2020-01-05"), LocalDate.parse("2020-01-20"), null));
        Dataset<Row> accounts = SparkTestSupport.spark().createDataFrame(rows, ACCOUNTS);
        SubscriptionClv.CohortTable table = SubscriptionClv.cohortTable(accounts, runDate);
        assertEquals(1, table.cohorts().size());
        assertArrayEquals(regular, table.cohorts().get(LocalDate.parse("2020-01-01")), 0);
        assertEquals(509, table.churners());
        SubscriptionClv.RetentionFit fit = SubscriptionClv.fitRetention(table, FIT);
        assertEquals("sbg", fit.model());
        assertEquals(0.668, fit.sbg().params().gamma(), 1e-3);
        assertEquals(3.806, fit.sbg().params().delta(), 1e-3);
        // a survivor of n renewals: Σ_{m=1..H} S(n+m)/S(n)/(1+d)^m, by brute force
        double brute = 0;
        for (int m = 1; m <= 12; m++) {
            brute += fit.sbg().survival(5 + m) / fit.sbg().survival(5) / Math.pow(1.01, m);
        }
        assertEquals(brute, SubscriptionClv.retentionFactor(fit, 5, 12, 0.01), 1e-12);
    }

    @Test
    void constantChurnFallsBackToTheGeometricLimit() {
        // Churn rises with tenure (2.4 % in month 1 ... 4.4 % in month 12), as for the generator's disengaging
        // accounts. sBG can only produce falling churn (its retention rate (δ+t−1)/(γ+δ+t−1) rises), so its best fit
        // is the boundary γ, δ → ∞: the geometric model with the pooled churn rate.
        java.util.Map<LocalDate, double[]> cohorts = new java.util.TreeMap<>();
        double events = 0;
        double exposure = 0;
        for (int c = 0; c < 12; c++) {
            double[] s = new double[13 - c];
            s[0] = 100_000;
            for (int t = 1; t < s.length; t++) {
                s[t] = Math.round(s[t - 1] * (1 - (0.022 + 0.002 * t)));
                events += s[t - 1] - s[t];
                exposure += s[t - 1];
            }
            cohorts.put(LocalDate.of(2020, 1 + c, 1), s);
        }
        SubscriptionClv.RetentionFit fit = SubscriptionClv.fitRetention(
                new SubscriptionClv.CohortTable(cohorts, 1_200_000, (long) events), FIT);
        assertEquals(SubscriptionClv.GEOMETRIC, fit.model());
        assertNull(fit.sbg());
        assertEquals(events / exposure, fit.monthlyChurn(), 1e-15);
        assertEquals(0.03, fit.monthlyChurn(), 0.005);
        assertTrue(fit.result().converged());
        assertTrue(fit.result().message().contains("homogeneous limit"), fit.result().message());
        assertEquals(DiscountedClv.subscriptionConstantChurn(fit.monthlyChurn(), 1, 12, 0.01),
                SubscriptionClv.retentionFactor(fit, 40, 12, 0.01), 1e-15);
    }

    @Test
    void noChurnOrNoSubscribersIsAClearError() {
        var none = new SubscriptionClv.CohortTable(new java.util.TreeMap<>(), 0, 0);
        CvmException e = assertThrows(CvmException.class, () -> SubscriptionClv.fitRetention(none, FIT));
        assertTrue(e.getMessage().contains("sBG cannot be fitted"), e.getMessage());
        var loyal = new SubscriptionClv.CohortTable(new java.util.TreeMap<>(java.util.Map.of(LocalDate.of(2020, 1, 1),
                new double[] {10, 10, 10})), 10, 0);
        e = assertThrows(CvmException.class, () -> SubscriptionClv.fitRetention(loyal, FIT));
        assertTrue(e.getMessage().contains("none of the 10 subscription accounts"), e.getMessage());
    }

    @Test
    void nonConvergenceNamesTheModelAndThePenalizer() {
        // Everyone buys like clockwork and nobody leaves: no heterogeneity, no dropout; the BG/NBD MLE is at the
        // boundary of the parameter space.
        List<RfmGroup> clockwork = List.of(new RfmGroup(10, 20, 20, 500), new RfmGroup(20, 40, 40, 500));
        CvmException e = assertThrows(CvmException.class, () -> ClvModels.bgNbd(clockwork, FIT));
        assertTrue(e.getMessage().startsWith("BG/NBD fit did not converge"), e.getMessage());
        assertTrue(e.getMessage().contains("cvm.clv.penalizer = 0.001"), e.getMessage());
        assertEquals(1, e.exitCode());
        e = assertThrows(CvmException.class, () -> ClvModels.bgNbd(List.of(RfmGroup.of(0, 0, 10)), FIT));
        assertTrue(e.getMessage().startsWith("BG/NBD cannot be fitted on this data"), e.getMessage());
    }
}
