package dev.cvm.bench;

import dev.cvm.contract.DatasetSpec;
import dev.cvm.contract.InputContract;
import dev.cvm.pipeline.StepLog;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;

import java.util.function.Function;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * The floor no implementation of the nightly chain can beat: read every input column the pipeline uses once and
 * reduce it per account (a count and a sum). The benchmark reports every stage as a multiple of this.
 *
 * <p>Every contract column is folded into a hash so that the columnar reader cannot skip any of them; the per-account
 * group-by costs the one shuffle any per-account computation needs. The result goes to Spark's {@code noop} sink:
 * the floor is reading and reducing, not writing.
 */
public final class ScanFloor {
    /** Rows read from one dataset, and the seconds spent. */
    public record DatasetScan(String dataset, long rows, double seconds) {}

    private final SparkSession spark;
    private final StepLog log;

    public ScanFloor(SparkSession spark, StepLog log) {
        this.spark = spark;
        this.log = log;
    }

    /** Scans every dataset of the contract under {@code inputDir} (a function of the dataset's directory name). */
    public java.util.List<DatasetScan> run(Function<DatasetSpec, String> inputDir) {
        java.util.List<DatasetScan> out = new java.util.ArrayList<>();
        for (DatasetSpec spec : InputContract.ALL) {
            String dir = inputDir.apply(spec);
            Column[] all = spec.columnNames().stream().map(c -> col(c)).toArray(Column[]::new);
            // Per account where the dataset has one (survey_ratings is keyed by response): the reduction stages do.
            String group = spec.columnNames().contains("account_id") ? "account_id" : spec.key().get(0);
            long t0 = System.nanoTime();
            long rows = log.step("scan " + spec.name() + " (" + all.length + " columns)", () -> {
                spark.read().parquet(dir).select(all).groupBy(col(group))
                        .agg(count(lit(1)).as("n"), sum(xxhash64(all).cast("decimal(38,0)")).as("h"))
                        .write().format("noop").mode("overwrite").save();
                return spark.read().parquet(dir).count(); // from the Parquet footers: no second scan
            });
            out.add(new DatasetScan(spec.name(), rows, (System.nanoTime() - t0) / 1e9));
        }
        return out;
    }
}
