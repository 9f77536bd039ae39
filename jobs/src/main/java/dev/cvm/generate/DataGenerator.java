package dev.cvm.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cvm.contract.ContractSchemas;
import dev.cvm.contract.DatasetSpec;
import dev.cvm.contract.InputContract;
import dev.cvm.pipeline.StepLog;
import dev.cvm.warehouse.SmallFiles;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a full synthetic input set that follows the contract, one Parquet directory per dataset, plus the ground
 * truth under {@code _truth/}. Accounts are simulated inside Spark tasks from (seed, index), so the driver holds
 * nothing per account and 10 million accounts need no more driver memory than a thousand.
 */
public final class DataGenerator {
    /** Accounts per Spark partition: keeps tasks small and files a sensible size. */
    private static final long ACCOUNTS_PER_PARTITION = 25_000;

    public static final StructType TRUTH_SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("account_id", DataTypes.StringType, false),
            DataTypes.createStructField("purchase_rate_per_week", DataTypes.DoubleType, false),
            DataTypes.createStructField("dropout_probability", DataTypes.DoubleType, false),
            DataTypes.createStructField("spend_rate_nu", DataTypes.DoubleType, false),
            DataTypes.createStructField("relative_value", DataTypes.DoubleType, false),
            DataTypes.createStructField("disengages", DataTypes.BooleanType, false),
            DataTypes.createStructField("decline_start", DataTypes.DateType, true),
            DataTypes.createStructField("preferred_channel", DataTypes.StringType, false),
            DataTypes.createStructField("close_date", DataTypes.DateType, true),
            DataTypes.createStructField("purchases", DataTypes.IntegerType, false)));

    private final SparkSession spark;
    private final StepLog log;

    public DataGenerator(SparkSession spark, StepLog log) {
        this.spark = spark;
        this.log = log;
    }

    public record Request(long accounts, String outDir, long seed, LocalDate asOf, int months,
                          GeneratorParams params) {}

    public Map<String, Long> generate(Request req) {
        if (req.accounts() <= 0) {
            throw new IllegalArgumentException("--accounts must be positive");
        }
        if (req.months() < 3) {
            throw new IllegalArgumentException("--months must be at least 3");
        }
        AccountSimulator sim = new AccountSimulator(req.seed(), req.asOf(), req.months(), req.params());
        int partitions = (int) Math.max(spark.sparkContext().defaultParallelism(),
                (req.accounts() + ACCOUNTS_PER_PARTITION - 1) / ACCOUNTS_PER_PARTITION);
        Dataset<Long> ids = spark.range(0, req.accounts(), 1, partitions).as(Encoders.LONG());

        Map<String, Long> counts = new LinkedHashMap<>();
        Map<DatasetSpec, RowsOf> parts = new LinkedHashMap<>();
        parts.put(InputContract.ACCOUNTS, a -> List.of(a.account()));
        parts.put(InputContract.TRANSACTIONS, AccountSimulator.SimulatedAccount::transactions);
        parts.put(InputContract.USAGE, AccountSimulator.SimulatedAccount::usage);
        parts.put(InputContract.HOLDINGS, AccountSimulator.SimulatedAccount::holdings);
        parts.put(InputContract.CAMPAIGN_CONTACTS, AccountSimulator.SimulatedAccount::contacts);
        parts.put(InputContract.SUPPORT_EVENTS, AccountSimulator.SimulatedAccount::supportEvents);
        parts.put(InputContract.SURVEYS, AccountSimulator.SimulatedAccount::surveys);
        parts.put(InputContract.SURVEY_RATINGS, AccountSimulator.SimulatedAccount::surveyRatings);

        for (Map.Entry<DatasetSpec, RowsOf> e : parts.entrySet()) {
            DatasetSpec spec = e.getKey();
            long rows = log.step("generate " + spec.name(), () -> {
                // Re-simulating per dataset is cheaper than holding all datasets of an account in memory at once.
                Dataset<Row> df = ids.flatMap(flatten(sim, e.getValue()), Encoders.row(ContractSchemas.of(spec)));
                df.write().mode("overwrite").parquet(req.outDir() + "/" + spec.name());
                return spark.read().parquet(req.outDir() + "/" + spec.name()).count();
            });
            counts.put(spec.name(), rows);
        }

        log.step("generate ground truth", () -> {
            Dataset<Row> truth = ids.flatMap(flatten(sim, a -> List.of(a.truth())), Encoders.row(TRUTH_SCHEMA));
            truth.write().mode("overwrite").parquet(req.outDir() + "/_truth/accounts");
            writeTruthJson(req);
            return req.accounts();
        });
        return counts;
    }

    private static FlatMapFunction<Long, Row> flatten(AccountSimulator sim, RowsOf part) {
        return id -> part.rows(sim.simulate(id)).iterator();
    }

    /** Picks one dataset's rows out of a simulated account; serializable so tasks can run it. */
    @FunctionalInterface
    private interface RowsOf extends java.io.Serializable {
        List<Row> rows(AccountSimulator.SimulatedAccount account);
    }

    private void writeTruthJson(Request req) {
        Map<String, Object> truth = new LinkedHashMap<>();
        truth.put("accounts", req.accounts());
        truth.put("seed", req.seed());
        truth.put("as_of", req.asOf().toString());
        truth.put("months", req.months());
        truth.putAll(req.params().describe());
        try {
            String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).writeValueAsString(truth);
            SmallFiles.write(spark.sparkContext().hadoopConfiguration(), req.outDir() + "/_truth/params.json", json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
