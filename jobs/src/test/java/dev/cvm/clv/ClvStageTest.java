package dev.cvm.clv;

import dev.cvm.clv.math.BgNbd;
import dev.cvm.clv.math.DiscountedClv;
import dev.cvm.clv.math.GammaGamma;
import dev.cvm.clv.math.ShiftedBetaGeometric;
import dev.cvm.config.CvmConfig;
import dev.cvm.generate.DataGenerator;
import dev.cvm.generate.GeneratorParams;
import dev.cvm.testing.SparkTestSupport;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.months_between;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cvm clv} end to end on a small generated base. account_features is built here the way the features stage
 * defines it (bgnbd_* from the transactions up to the day before the as-of date, in weeks), plus three accounts that
 * never bought and an older as-of snapshot that must be ignored.
 */
class ClvStageTest {
    static final LocalDate D = LocalDate.parse("2025-06-01");
    static final int N = 1_500;
    @TempDir
    static Path tmp;
    static Path conf;
    static Warehouse warehouse;
    static long featureRows;
    static CliRunner.Result run;

    @BeforeAll
    static void buildInputsAndRun() {
        SparkSession spark = SparkTestSupport.spark();
        conf = CliRunner.conf(tmp);
        CvmConfig config = CvmConfig.load(conf.toFile());
        warehouse = new Warehouse(spark, config.warehouse());
        // Purchases from the generator; closures replaced by an sBG process so the retention model is identified.
        GeneratorParams params = GeneratorParams.from(config.raw().getConfig("cvm.generate")).withChurnScale(0.0);
        new DataGenerator(spark, SparkTestSupport.log()).generate(
                new DataGenerator.Request(N, tmp.resolve("in").toString(), 7, D, 24, params));

        List<Row> extra = List.of(
                dev.cvm.testing.Fixtures.row("Z1", "CZ1", LocalDate.parse("2025-01-10"), null, "basic", "north", "web", 20.0),
                dev.cvm.testing.Fixtures.row("Z2", "CZ2", LocalDate.parse("2024-11-03"), LocalDate.parse("2025-03-01"),
                        "plus", "north", "web", 35.0),
                dev.cvm.testing.Fixtures.row("Z3", "CZ3", LocalDate.parse("2025-05-20"), null, "basic", "east", "web",
                        null));
        Dataset<Row> generated = withSbgClosures(spark.read().parquet(tmp.resolve("in/accounts").toString()));
        Dataset<Row> accounts = generated.unionByName(spark.createDataFrame(extra, generated.schema()));
        warehouse.replaceRunDate(Table.ACCOUNTS, accounts, D);

        Dataset<Row> txns = spark.read().parquet(tmp.resolve("in/transactions").toString());
        Dataset<Row> rfm = RfmSummary.summarize(txns, new RfmSummary.Columns("account_id", "transaction_ts",
                "amount"), D.minusDays(1), null, TimeUnit.WEEK);
        Dataset<Row> features = accounts.join(rfm, col("account_id").equalTo(rfm.col("id")), "left")
                .select(col("account_id"), lit(D).as("as_of_date"), col("x").as("bgnbd_x"),
                        col("t_x").as("bgnbd_t_x"), col("T").as("bgnbd_T"), col("m").as("bgnbd_m_x"),
                        col("first_purchase_date"), col("monthly_fee"),
                        when(col("close_date").isNull(), lit("active")).otherwise(lit("closed")).as("account_status"),
                        floor(months_between(lit(D), col("open_date"))).cast(DataTypes.IntegerType)
                                .as("tenure_months"), col("plan"));
        // An older snapshot in the same run date (e.g. a training as-of date) must not be valued.
        Dataset<Row> older = features.limit(10).withColumn("as_of_date", lit(D.minusMonths(3)));
        featureRows = features.count();
        warehouse.replaceRunDate(Table.ACCOUNT_FEATURES, features.unionByName(older), D);
        run = CliRunner.run(conf, "clv", "--run-date", D.toString());
    }

    static final double SBG_GAMMA = 0.5;
    static final double SBG_DELTA = 6.0;

    /** close_date from an sBG: churn probability ~ Beta(0.5, 6) per account, churn at the first failed renewal. */
    static Dataset<Row> withSbgClosures(Dataset<Row> accounts) {
        org.apache.commons.math3.random.Well19937c rng = new org.apache.commons.math3.random.Well19937c(11);
        org.apache.commons.math3.distribution.BetaDistribution beta =
                new org.apache.commons.math3.distribution.BetaDistribution(rng, SBG_GAMMA, SBG_DELTA);
        List<Row> out = new java.util.ArrayList<>();
        for (Row r : accounts.orderBy("account_id").collectAsList()) {
            double theta = beta.sample();
            LocalDate open = r.getAs("open_date");
            LocalDate close = null;
            for (int t = 1; t < 40 && close == null; t++) {
                if (rng.nextDouble() < theta) {
                    LocalDate c = open.plusMonths(t - 1).plusDays(3);
                    close = c.isBefore(D) ? c : null;
                    break;
                }
            }
            Object[] v = new Object[r.length()];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.get(i);
            }
            v[r.fieldIndex("close_date")] = close;
            out.add(org.apache.spark.sql.RowFactory.create(v));
        }
        return SparkTestSupport.spark().createDataFrame(out, accounts.schema());
    }

    static Dataset<Row> clv() {
        return warehouse.readRunDate(Table.CUSTOMER_CLV, D, "clv");
    }

    static Map<String, Double> params(String model) {
        Map<String, Double> m = new HashMap<>();
        warehouse.readRunDate(Table.CLV_PARAMS, D, "clv").where(col("model").equalTo(model)).collectAsList()
                .forEach(r -> m.put(r.getAs("parameter"), r.getAs("value")));
        return m;
    }

    @Test
    void writesEveryAccountOnceAndAllModels() {
        assertEquals(0, run.code(), run.err());
        assertEquals(N + 3, featureRows);
        Row counts = clv().agg(org.apache.spark.sql.functions.count(lit(1)), countDistinct(col("account_id"))).first();
        assertEquals(featureRows, counts.getLong(0));
        assertEquals(featureRows, counts.getLong(1));
        Dataset<Row> p = warehouse.readRunDate(Table.CLV_PARAMS, D, "clv");
        assertEquals(List.of("model", "parameter", "value", "standard_error", "log_likelihood", "n_customers",
                "n_groups", "group_resolution", "time_unit", "converged", "fitted_at"), List.of(p.columns()));
        assertEquals(4 + 4 + 3 + 2 + 5, p.count());
        assertEquals(0, p.where(col("converged").equalTo(false)).count());
        Row bg = p.where(col("model").equalTo("bgnbd").and(col("parameter").equalTo("r"))).first();
        assertEquals((long) N, (long) bg.getAs("n_customers"));
        assertEquals("week", bg.getAs("time_unit"));
        assertTrue((double) bg.getAs("standard_error") > 0);
        assertEquals(365.25 / 84, params(ClvStage.SETTINGS).get("time_units_per_month"), 1e-12);
        assertTrue(run.out().contains("fit sBG"), run.out());
    }

    @Test
    void sbgRetentionIsRecoveredFromTheCohorts() {
        Dataset<Row> p = warehouse.readRunDate(Table.CLV_PARAMS, D, "clv").where(col("model").equalTo("sbg"));
        Map<String, Row> byName = new HashMap<>();
        p.collectAsList().forEach(r -> byName.put(r.getAs("parameter"), r));
        double[] planted = {SBG_GAMMA, SBG_DELTA};
        String[] names = {"gamma", "delta"};
        for (int i = 0; i < 2; i++) {
            Row r = byName.get(names[i]);
            double est = r.getAs("value");
            double se = r.getAs("standard_error");
            assertTrue(Math.abs(est - planted[i]) <= 4 * se, names[i] + " " + est + " +- " + se + " vs " + planted[i]);
        }
    }

    @Test
    void accountsWithoutPurchasesAndClosedAccounts() {
        Map<String, Row> z = new HashMap<>();
        clv().where(col("account_id").startsWith("Z")).collectAsList().forEach(r -> z.put(r.getAs("account_id"), r));
        for (Row r : z.values()) {
            assertEquals("none", r.getAs("model"));
            assertEquals(0.0, (double) r.getAs("transactional_clv"));
            assertNull(r.getAs("p_alive"));
            assertNull(r.getAs("x"));
        }
        assertEquals("sbg", z.get("Z1").getAs("subscription_model"));
        assertTrue((double) z.get("Z1").getAs("subscription_clv") > 0);
        assertEquals("none", z.get("Z2").getAs("subscription_model"), "closed");
        assertEquals(0.0, (double) z.get("Z2").getAs("subscription_clv"));
        assertEquals("none", z.get("Z3").getAs("subscription_model"), "no monthly fee");
        assertEquals(0.0, (double) z.get("Z3").getAs("total_clv"));

        Dataset<Row> c = clv();
        assertEquals(0, c.where(col("model").equalTo("bgnbd").and(col("p_alive").isNull()
                .or(col("p_alive").lt(0)).or(col("p_alive").gt(1)).or(col("transactional_clv").lt(0)))).count());
        Dataset<Row> closed = warehouse.readRunDate(Table.ACCOUNTS, D, "ingest").where(col("close_date").isNotNull())
                .select("account_id");
        assertTrue(closed.count() > 20, "the fixture has closures");
        assertEquals(0, c.join(closed, "account_id").where(col("subscription_clv").notEqual(0.0)).count());
        assertEquals(0, c.where(col("total_clv").notEqual(col("transactional_clv").plus(col("subscription_clv"))))
                .count());
    }

    @Test
    void valuesEqualTheMathLibraryWithTheStoredParameters() {
        Map<String, Double> bg = params("bgnbd");
        Map<String, Double> gg = params("gamma_gamma");
        Map<String, Double> sbg = params("sbg");
        BgNbd model = new BgNbd(bg.get("r"), bg.get("alpha"), bg.get("a"), bg.get("b"));
        GammaGamma spend = new GammaGamma(gg.get("p"), gg.get("q"), gg.get("v"));
        ShiftedBetaGeometric retention = new ShiftedBetaGeometric(sbg.get("gamma"), sbg.get("delta"));
        DiscountedClv.Settings s = new DiscountedClv.Settings(12, 0.01, 365.25 / 84, 0.3);
        Dataset<Row> features = warehouse.readRunDate(Table.ACCOUNT_FEATURES, D, "features")
                .where(col("as_of_date").equalTo(lit(D)));
        List<Row> sample = clv().join(features.select("account_id", "monthly_fee", "account_status", "tenure_months"),
                "account_id").where(col("model").equalTo("bgnbd")).orderBy(col("x").desc()).limit(5).collectAsList();
        assertEquals(5, sample.size());
        for (Row r : sample) {
            int x = r.getAs("x");
            double tx = r.getAs("t_x");
            double T = r.getAs("T");
            Double m = r.getAs("m_x");
            double em = spend.conditionalExpectedAverageSpend(x, m == null ? 0 : m);
            assertEquals(em, (double) r.getAs("expected_avg_spend"), 1e-9 * em);
            double clv = DiscountedClv.transactional(model, x, tx, T, em, s);
            assertEquals(clv, (double) r.getAs("transactional_clv"), 1e-9 * Math.max(1, clv));
            assertEquals(model.conditionalExpectedPurchases(12 * 365.25 / 84, x, tx, T),
                    (double) r.getAs("expected_purchases"), 1e-12);
            assertEquals(model.probabilityAlive(x, tx, T), (double) r.getAs("p_alive"), 1e-12);
            double sub = "closed".equals(r.getAs("account_status")) ? 0.0 : 0.3 * (double) r.getAs("monthly_fee")
                    * SubscriptionClv.retentionFactor(retention, r.getAs("tenure_months"), 12, 0.01);
            assertEquals(sub, (double) r.getAs("subscription_clv"), 1e-9 * Math.max(1, sub));
        }
    }

    @Test
    void rerunReplacesTheRunDate() {
        long before = clv().count();
        CliRunner.Result again = CliRunner.run(conf, "clv", "--run-date", D.toString());
        assertEquals(0, again.code(), again.err());
        assertEquals(before, clv().count());
        assertEquals(18, warehouse.readRunDate(Table.CLV_PARAMS, D, "clv").count());
    }

    @Test
    void anUnfittableBaseStopsTheStageBeforeWriting() {
        // Nobody ever came back: BG/NBD is not identified; the stage must say so and write nothing for the date.
        LocalDate d2 = D.plusDays(1);
        Dataset<Row> f = warehouse.readRunDate(Table.ACCOUNT_FEATURES, D, "features")
                .where(col("as_of_date").equalTo(lit(D)))
                .withColumn("as_of_date", lit(d2))
                .withColumn("bgnbd_t_x", when(col("bgnbd_x").isNotNull(), lit(0.0)))
                .withColumn("bgnbd_m_x", lit(null).cast(DataTypes.DoubleType))
                .withColumn("bgnbd_x", when(col("bgnbd_x").isNotNull(), lit(0)));
        warehouse.replaceRunDate(Table.ACCOUNT_FEATURES, f, d2);
        warehouse.replaceRunDate(Table.ACCOUNTS, warehouse.readRunDate(Table.ACCOUNTS, D, "ingest"), d2);
        CliRunner.Result r = CliRunner.run(conf, "clv", "--run-date", d2.toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("BG/NBD") && r.err().contains("nothing was written"), r.err());
        assertFalse(warehouse.hasRunDate(Table.CUSTOMER_CLV, d2));
        assertFalse(warehouse.hasRunDate(Table.CLV_PARAMS, d2));
    }

    @Test
    void missingFeaturesNameTheStageToRun() {
        CliRunner.Result r = CliRunner.run(conf, "clv", "--run-date", "2020-01-01");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("account_features has no rows with as_of_date = 2020-01-01")
                && r.err().contains("cvm features"), r.err());
    }
}
