package dev.cvm.spark;

import dev.cvm.config.SparkSettings;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.SparkSession;

import java.util.Map;

/** Builds the one SparkSession of a cvm process, with Delta enabled and Spark's logging tamed. */
public final class SparkSessions {
    private SparkSessions() {}

    public static SparkSession create(SparkSettings settings, boolean verbose) {
        quietLogging(verbose);
        SparkSession.Builder builder = SparkSession.builder().appName(settings.appName());
        // spark-submit sets spark.master as a system property; it wins over the config file.
        if (!settings.master().isBlank() && System.getProperty("spark.master") == null) {
            builder.master(settings.master());
        }
        builder.config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                // Dates are derived from timestamps in one zone everywhere, whatever the machine's zone.
                .config("spark.sql.session.timeZone", "UTC")
                // Rows carry java.time.LocalDate / Instant, which mean the same thing in every JVM time zone.
                .config("spark.sql.datetime.java8API.enabled", "true")
                .config("spark.sql.adaptive.enabled", "true");
        for (Map.Entry<String, String> e : settings.conf().entrySet()) {
            builder.config(e.getKey(), e.getValue());
        }
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel(verbose ? "INFO" : "WARN");
        return spark;
    }

    /** Spark logs at INFO by default; a person running a stage wants one line per step instead. */
    public static void quietLogging(boolean verbose) {
        Level level = verbose ? Level.INFO : Level.WARN;
        Configurator.setRootLevel(level);
        // These stay noisy at WARN for benign conditions (no native Hadoop, dropped shuffle files, ...).
        if (!verbose) {
            Configurator.setLevel("org.apache.hadoop.util.NativeCodeLoader", Level.ERROR);
            Configurator.setLevel("org.apache.spark.sql.catalyst.util.SparkStringUtils", Level.ERROR);
            Configurator.setLevel("org.apache.spark.util.SparkStringUtils", Level.ERROR);
            Configurator.setLevel("org.apache.spark.util.Utils", Level.ERROR);
            Configurator.setLevel("org.apache.spark.sql.execution.CacheManager", Level.ERROR);
            Configurator.setLevel("org.apache.spark.storage.BlockManager", Level.ERROR);
            // MLlib: "regParam is zero" (intended by the value map's least squares) and "no native BLAS" (benign).
            Configurator.setLevel("org.apache.spark.ml.util.Instrumentation", Level.ERROR);
            Configurator.setLevel("dev.ludovic.netlib", Level.ERROR);
        }
    }
}
