package dev.cvm.testing;

import dev.cvm.config.CatalogSettings;
import dev.cvm.config.CvmConfig;
import dev.cvm.config.SparkSettings;
import dev.cvm.pipeline.StepLog;
import dev.cvm.spark.SparkSessions;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The one local SparkSession of the test JVM (surefire runs every test class in one fork): two cores, few shuffle
 * partitions, no UI. Creating a session takes seconds, so tests share it and isolate themselves by warehouse path.
 * It has a Hive-compatible catalog: an embedded Derby metastore in a temporary directory of this JVM, started only
 * when a test first uses the catalog. Tests that register tables use a database of their own.
 */
public final class SparkTestSupport {
    private static SparkSession spark;
    private static CatalogSettings catalog;

    private SparkTestSupport() {}

    public static synchronized SparkSession spark() {
        if (spark == null) {
            Path dir = tempDirDeletedOnExit("cvm-test-catalog");
            catalog = CatalogSettings.embedded("cvm", dir.resolve("metastore_db").toString(),
                    dir.resolve("spark-warehouse").toString());
            // No spark.default.parallelism (local[2] gives 2 anyway): set, it changes how many partitions RDD
            // shuffles take (MLlib's AUC sums per partition), and StandaloneClusterTest's local reference run on this
            // session would then differ from bin/cvm and spark-submit runs, which do not set it, in the last bits.
            spark = SparkSessions.create(new SparkSettings("local[2]", "cvm-tests", Map.of(
                    "spark.sql.shuffle.partitions", "4",
                    "spark.ui.enabled", "false",
                    "spark.driver.host", "127.0.0.1",
                    "spark.driver.bindAddress", "127.0.0.1"), 2),
                    catalog, false);
        }
        return spark;
    }

    /** The catalog of the shared session (pass {@code withDatabase(...)} to keep a test's tables apart). */
    public static synchronized CatalogSettings catalog() {
        spark();
        return catalog;
    }

    static Path tempDirDeletedOnExit(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (Stream<Path> paths = Files.walk(dir)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // a temporary directory; the OS cleans up eventually
                }
            }));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
