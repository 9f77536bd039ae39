package dev.cvm.testing;

import dev.cvm.config.CvmConfig;
import dev.cvm.config.SparkSettings;
import dev.cvm.pipeline.StepLog;
import dev.cvm.spark.SparkSessions;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.Map;

/**
 * The one local SparkSession of the test JVM (surefire runs every test class in one fork): two cores, few shuffle
 * partitions, no UI. Creating a session takes seconds, so tests share it and isolate themselves by warehouse path.
 */
public final class SparkTestSupport {
    private static SparkSession spark;

    private SparkTestSupport() {}

    public static synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSessions.create(new SparkSettings("local[2]", "cvm-tests", Map.of(
                    "spark.sql.shuffle.partitions", "4",
                    "spark.default.parallelism", "2",
                    "spark.ui.enabled", "false",
                    "spark.driver.host", "127.0.0.1",
                    "spark.driver.bindAddress", "127.0.0.1",
                    "spark.sql.warehouse.dir", System.getProperty("java.io.tmpdir") + "/cvm-test-spark-warehouse")),
                    false);
        }
        return spark;
    }

    /** A config for a test: its own warehouse and input root, everything else default. */
    public static CvmConfig config(Path warehouse, Path inputRoot, String extraHocon) {
        return CvmConfig.parse("cvm.warehouse = \"" + warehouse + "\"\ncvm.input.root = \"" + inputRoot + "\"\n"
                + (extraHocon == null ? "" : extraHocon));
    }

    public static Warehouse warehouse(CvmConfig config) {
        return new Warehouse(spark(), config.warehouse());
    }

    public static StepLog log() {
        return StepLog.silent();
    }
}
