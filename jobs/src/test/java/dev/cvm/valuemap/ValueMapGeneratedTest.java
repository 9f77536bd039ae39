package dev.cvm.valuemap;

import dev.cvm.cli.CvmCli;
import dev.cvm.config.CvmConfig;
import dev.cvm.generate.DataGenerator;
import dev.cvm.generate.GeneratorParams;
import dev.cvm.ingest.IngestStage;
import dev.cvm.testing.SparkTestSupport;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.corr;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * generate -> ingest -> `cvm value-map` on a generated population, checked against the survey signal the generator
 * planted (docs/data-contract.md, "Synthetic data"): attribute weights .30/.25/.15/.10/.20 and each account's latent
 * relative value.
 */
class ValueMapGeneratedTest {
    static final LocalDate AS_OF = LocalDate.parse("2025-06-01");
    static final int N = 5_000;
    static final Map<String, Double> PLANTED = Map.of("network_quality", 0.30, "customer_service", 0.25,
            "coverage", 0.15, "billing_clarity", 0.10, "price", 0.20);
    @TempDir
    static Path tmp;
    static CvmConfig config;
    static Warehouse warehouse;
    static Dataset<Row> attributes;
    static Dataset<Row> segments;

    @BeforeAll
    static void generateIngestAndRunTheCommand() throws Exception {
        config = SparkTestSupport.config(tmp.resolve("wh"), tmp.resolve("in"), null);
        warehouse = SparkTestSupport.warehouse(config);
        GeneratorParams params = GeneratorParams.from(config.raw().getConfig("cvm.generate"));
        new DataGenerator(SparkTestSupport.spark(), SparkTestSupport.log()).generate(
                new DataGenerator.Request(N, tmp.resolve("in").toString(), 7, AS_OF, 18, params));
        new IngestStage(config, warehouse, SparkTestSupport.log()).run(AS_OF);
        Path conf = tmp.resolve("cvm.conf");
        Files.writeString(conf, "cvm { warehouse = \"" + tmp.resolve("wh") + "\", input.root = \"" + tmp.resolve("in")
                + "\" }\n");
        // The command itself; its Spark session is the shared test session (getOrCreate).
        assertEquals(0, CvmCli.execute("value-map", "--conf", conf.toString(), "--run-date", AS_OF.toString()));
        attributes = warehouse.readRunDate(Table.VALUE_MAP_ATTRIBUTES, AS_OF, "value-map");
        segments = warehouse.readRunDate(Table.VALUE_MAP_SEGMENTS, AS_OF, "value-map");
    }

    static Dataset<Row> surveys() {
        return warehouse.readRunDate(Table.SURVEYS, AS_OF, "ingest");
    }

    static Dataset<Row> ratings() {
        return warehouse.readRunDate(Table.SURVEY_RATINGS, AS_OF, "ingest");
    }

    @Test
    void commandWritesBothTables() {
        assertEquals(ValueMap.ATTRIBUTE_COLUMNS, List.of(attributes.columns()));
        assertEquals(ValueMap.SEGMENT_COLUMNS, List.of(segments.columns()));
        Set<String> types = new TreeSet<>();
        segments.select("segment_type").distinct().collectAsList().forEach(r -> types.add(r.getString(0)));
        assertEquals(Set.of("all", "plan", "region", "competitor"), types);
        // Every segment has one row per attribute in value_map_attributes.
        assertEquals(segments.count() * PLANTED.size(), attributes.count());
        Row all = segments.where("segment_type = 'all'").first();
        long responses = surveys().count();
        assertEquals(responses, all.<Long>getAs("respondents"));
        assertFalse(all.<Boolean>getAs("suppressed"));
        assertEquals("regression", all.getAs("weight_method"));
        // Published segments carry every estimate; suppressed ones none.
        assertEquals(0, segments.where("NOT suppressed AND (relative_value IS NULL OR quadrant IS NULL "
                + "OR relative_value_ci_low IS NULL)").count());
        assertEquals(0, segments.where("suppressed AND relative_value IS NOT NULL").count());
        assertEquals(segments.where("respondents < 30").count(), segments.where("suppressed").count());
    }

    /**
     * The generator makes overall_value_us = sum w_a us_a + N(0, 0.3^2), rounded to 0.1 (noise sd ~0.3). Each
     * rating has variance ~2.3 (competitor sd 1.2, scaled by a relative value of sd 0.12 shared by all five
     * attributes, correlation ~0.26), so least squares has standard error ~0.3 * sqrt(0.51 / n) per coefficient: ~0.011
     * at the ~450 responses of 5,000 accounts, and about as much for the weights after normalising. 0.05 is over
     * four standard errors: a correct estimator fails this with probability far below 1e-4 (and the seed is fixed).
     */
    @Test
    void regressionRecoversThePlantedWeights() {
        Row all = segments.where("segment_type = 'all'").first();
        assertTrue(all.<Long>getAs("respondents") >= 350, "enough responses for the tolerance: " + all);
        Map<String, Double> fitted = new HashMap<>();
        for (Row r : attributes.where("segment_type = 'all'").collectAsList()) {
            fitted.put(r.getAs("attribute"), r.getAs("weight"));
            assertEquals("price".equals(r.getAs("attribute")) ? "price" : "quality", r.getAs("attribute_type"));
        }
        assertEquals(PLANTED.keySet(), fitted.keySet());
        PLANTED.forEach((a, w) -> assertEquals(w, fitted.get(a), 0.05, a + ": " + fitted));
        assertEquals(1.0, fitted.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
    }

    /**
     * 60% of respondents state importance w_a * 100 * exp(0.2 Z). Normalising per response leaves the mean share
     * within 0.001 of w_a (the lognormal noise is small and nearly cancels), and the share's spread (~0.2 w_a) over
     * ~270 responses gives a standard error under 0.004: 0.02 is five standard errors plus the bias.
     */
    @Test
    void statedImportanceRecoversThePlantedWeights() {
        ValueMapSettings stated = ValueMapSettings.from(config).withWeights(WeightMethod.STATED);
        AttributeWeights w = AttributeWeights.derive(SurveyResponses.of(surveys(), ratings()),
                AttributeCatalog.of(ratings()), stated);
        assertEquals(WeightMethod.STATED, w.method());
        PLANTED.forEach((a, planted) -> assertEquals(planted, w.weight(a), 0.02, a + ": " + w.weights()));
    }

    /**
     * The delta-method standard error of the overall relative value agrees with a bootstrap over respondents
     * (400 replicates, fixed seed, weights held fixed as in the analytic interval). The bootstrap's own sampling error
     * is ~1/sqrt(2 * 400) = 3.5% of the SE, so 15% leaves room for the linearisation without hiding a wrong formula
     * (a missing factor of sqrt(2) or n would be 40% or more off).
     */
    @Test
    void deltaMethodIntervalAgreesWithABootstrap() {
        Map<String, Double> weights = new HashMap<>();
        attributes.where("segment_type = 'all'").collectAsList()
                .forEach(r -> weights.put(r.getAs("attribute"), r.getAs("weight")));
        List<String> names = new ArrayList<>(new TreeSet<>(weights.keySet()));
        // A small test-side collect: one row per response with its five ratings of us and the competitor.
        Map<String, double[]> byResponse = new HashMap<>();
        for (Row r : ratings().select("response_id", "attribute", "rating_us", "rating_competitor").collectAsList()) {
            double[] v = byResponse.computeIfAbsent(r.getString(0), k -> new double[2 * names.size()]);
            int a = names.indexOf(r.getString(1));
            v[a] = r.getDouble(2);
            v[names.size() + a] = r.getDouble(3);
        }
        List<double[]> rows = new ArrayList<>(byResponse.values());
        int n = rows.size();
        int k = names.size();
        SplittableRandom rng = new SplittableRandom(20250601);
        int replicates = 400;
        double sum = 0;
        double sumSq = 0;
        for (int b = 0; b < replicates; b++) {
            double[] totals = new double[2 * k];
            for (int i = 0; i < n; i++) {
                double[] v = rows.get(rng.nextInt(n));
                for (int j = 0; j < 2 * k; j++) {
                    totals[j] += v[j];
                }
            }
            double rv = 0;
            for (int a = 0; a < k; a++) {
                rv += weights.get(names.get(a)) * totals[a] / totals[k + a];
            }
            sum += rv;
            sumSq += rv * rv;
        }
        double bootstrapSe = Math.sqrt((sumSq - sum * sum / replicates) / (replicates - 1));
        Row all = segments.where("segment_type = 'all'").first();
        double se = all.getAs("relative_value_se");
        assertEquals(bootstrapSe, se, 0.15 * bootstrapSe, "delta-method SE " + se + " vs bootstrap " + bootstrapSe);
        // The planted latent relative value has mean 1.0 for customers (0.95 for market respondents).
        double rv = all.getAs("relative_value");
        assertTrue(rv > 0.95 && rv < 1.05, "relative value " + rv);
        assertTrue(all.<Double>getAs("relative_value_ci_low") < rv && rv < all.<Double>getAs("relative_value_ci_high"));
    }

    /**
     * Each account's score is sum_a w_a us_a / them_a = latent value x exp(0.08 Z) averaged over attributes: noise sd
     * ~0.08 * sqrt(sum w^2) = 0.04 against a latent sd of 0.12, so the correlation should be ~0.95.
     */
    @Test
    void accountRelativeValueTracksTheLatentValue() {
        Dataset<Row> scores = AccountRelativeValue.latestBefore(surveys(), ratings(), AS_OF,
                ValueMapSettings.from(config));
        long surveyed = surveys().where(col("account_id").isNotNull()).select("account_id").distinct().count();
        assertEquals(surveyed, scores.count());
        Dataset<Row> truth = SparkTestSupport.spark().read().parquet(tmp.resolve("in/_truth/accounts").toString())
                .select(col("account_id"), col("relative_value").as("latent"));
        Row r = scores.join(truth, "account_id").agg(corr(col("relative_value"), col("latent")),
                org.apache.spark.sql.functions.count(lit(1))).first();
        assertEquals(surveyed, r.getLong(1));
        assertTrue(r.getDouble(0) > 0.9, "correlation with the latent relative value: " + r.getDouble(0));
    }
}
