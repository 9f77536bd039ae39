package dev.cvm.generate;

import dev.cvm.config.CvmConfig;
import dev.cvm.contract.InputContract;
import dev.cvm.ingest.DatasetOutcome;
import dev.cvm.ingest.IngestStage;
import dev.cvm.testing.SparkTestSupport;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.apache.spark.sql.functions.avg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** generate -> ingest on a small population: row conservation, idempotent re-run, planted parameters. */
class GenerateIngestEndToEndTest {
    static final LocalDate AS_OF = LocalDate.parse("2025-06-01");
    static final int N = 2_000;
    @TempDir
    static Path tmp;
    static CvmConfig config;
    static Warehouse warehouse;
    static GeneratorParams params;
    static List<DatasetOutcome> firstIngest;

    @BeforeAll
    static void generateAndIngest() {
        config = SparkTestSupport.config(tmp.resolve("wh"), tmp.resolve("in"), null);
        warehouse = SparkTestSupport.warehouse(config);
        params = GeneratorParams.from(config.raw().getConfig("cvm.generate"));
        new DataGenerator(SparkTestSupport.spark(), SparkTestSupport.log()).generate(
                new DataGenerator.Request(N, tmp.resolve("in").toString(), 11, AS_OF, 18, params));
        firstIngest = new IngestStage(config, warehouse, SparkTestSupport.log()).run(AS_OF);
    }

    @Test
    void sameSeedSameData() {
        Path again = tmp.resolve("again");
        new DataGenerator(SparkTestSupport.spark(), SparkTestSupport.log()).generate(
                new DataGenerator.Request(N, again.toString(), 11, AS_OF, 18, params));
        var spark = SparkTestSupport.spark();
        for (String ds : List.of("accounts", "transactions", "surveys")) {
            var a = spark.read().parquet(tmp.resolve("in").resolve(ds).toString());
            var b = spark.read().parquet(again.resolve(ds).toString());
            assertEquals(0, a.exceptAll(b).count() + b.exceptAll(a).count(), ds);
        }
    }

    @Test
    void everyRowLandsOnceAndRerunReplaces() {
        List<DatasetOutcome> second = new IngestStage(config, warehouse, SparkTestSupport.log()).run(AS_OF);
        assertEquals(firstIngest, second);
        long quarantined = warehouse.readRunDate(Table.QUARANTINE, AS_OF, "ingest").count();
        long totalQuarantined = 0;
        for (DatasetOutcome o : second) {
            var spec = InputContract.byName(o.dataset());
            long raw = SparkTestSupport.spark().read().parquet(tmp.resolve("in").resolve(o.dataset()).toString()).count();
            long valid = warehouse.readRunDate(spec.table(), AS_OF, "ingest").count();
            assertEquals(raw, o.input(), o.dataset());
            assertEquals(raw, valid + o.quarantined(), o.dataset() + ": valid + quarantined = input");
            totalQuarantined += o.quarantined();
        }
        assertEquals(totalQuarantined, quarantined);
        // Generated data is clean: nothing should be quarantined.
        assertEquals(0, totalQuarantined);
    }

    @Test
    void plantedBgNbdAndSpendParametersHaveTheirMeans() {
        Row m = SparkTestSupport.spark().read().parquet(tmp.resolve("in/_truth/accounts").toString())
                .agg(avg("purchase_rate_per_week"), avg("dropout_probability"), avg("spend_rate_nu")).first();
        double meanLambda = params.bgR() / params.bgAlpha();
        double sdLambda = Math.sqrt(params.bgR()) / params.bgAlpha();
        double meanP = params.bgA() / (params.bgA() + params.bgB());
        double sdP = Math.sqrt(params.bgA() * params.bgB()
                / (Math.pow(params.bgA() + params.bgB(), 2) * (params.bgA() + params.bgB() + 1)));
        double meanNu = params.ggQ() / params.ggV();
        double sdNu = Math.sqrt(params.ggQ()) / params.ggV();
        // Four standard errors of the mean: fails with probability below 1e-4 for a correct sampler.
        assertEquals(meanLambda, m.getDouble(0), 4 * sdLambda / Math.sqrt(N));
        assertEquals(meanP, m.getDouble(1), 4 * sdP / Math.sqrt(N));
        assertEquals(meanNu, m.getDouble(2), 4 * sdNu / Math.sqrt(N));
    }

    @Test
    void spendPerPurchaseFollowsGammaGamma() {
        // E[amount] = E[p / nu] = p * v / (q - 1) over all purchases of all accounts (weighted by purchases,
        // but nu is independent of the purchase count, so the expectation holds).
        double expected = params.ggP() * params.ggV() / (params.ggQ() - 1);
        double mean = SparkTestSupport.spark().read().parquet(tmp.resolve("in/transactions").toString())
                .agg(avg("amount")).first().getDouble(0);
        assertEquals(expected, mean, 0.1 * expected);
    }

    @Test
    void plantedChurnDriversSeparateChurnersInTheLabelledRecord() {
        var stage = new dev.cvm.features.FeaturesStage(warehouse, config.features(), config.valueMap(), SparkTestSupport.log());
        stage.run(AS_OF, stage.trainingAsOfDates(AS_OF));
        var f = warehouse.readRunDate(Table.ACCOUNT_FEATURES, AS_OF, "features");
        var l = warehouse.readRunDate(Table.ACCOUNT_LABELS, AS_OF, "features");
        List<Row> byLabel = f.join(l, new String[] {"account_id", "as_of_date"})
                .groupBy("churned").agg(avg("usage_trend_3m"), avg("complaints_90d"), org.apache.spark.sql.functions.count("*"))
                .orderBy("churned").collectAsList();
        assertEquals(2, byLabel.size(), "both classes present");
        Row stay = byLabel.get(0);
        Row churn = byLabel.get(1);
        assertTrue(churn.getLong(3) >= 50, "enough churners to compare: " + churn.getLong(3));
        // Usage declines before churn (planted), and complaints rise.
        assertTrue(churn.getDouble(1) < stay.getDouble(1) - 0.1,
                "usage trend of churners " + churn.getDouble(1) + " vs stayers " + stay.getDouble(1));
        assertTrue(churn.getDouble(2) > 1.5 * stay.getDouble(2),
                "complaints of churners " + churn.getDouble(2) + " vs stayers " + stay.getDouble(2));
    }
}
