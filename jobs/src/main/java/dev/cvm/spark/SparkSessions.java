package dev.cvm.spark;

import dev.cvm.config.CatalogSettings;
import dev.cvm.config.SparkSettings;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Builds the one SparkSession of a cvm process, with Delta enabled and Spark's logging tamed. */
public final class SparkSessions {
    private SparkSessions() {}

    public static SparkSession create(SparkSettings settings, boolean verbose) {
        return create(settings, null, verbose);
    }

    /**
     * The session, with the Hive-compatible catalog of {@code catalog} when it is enabled and usable here (spark-hive
     * on the classpath; a local directory for the embedded metastore). The metastore client starts lazily, on the
     * first use of the catalog, so stages that only read and write Delta paths never touch it.
     */
    public static SparkSession create(SparkSettings settings, CatalogSettings catalog, boolean verbose) {
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
                .config("spark.sql.adaptive.enabled", "true")
                // HotSpot never JIT-compiles a method above 8000 bytes of bytecode; Spark's default limit, 65535,
                // lets a wide whole-stage method run interpreted. At 8000 Spark falls back to its split per-operator
                // code for such a stage instead (Spark's docs recommend this value on HotSpot; bench/tuning.md).
                .config("spark.sql.codegen.hugeMethodLimit", "8000")
                // Delta rebuilds a table's state from its log with this many tasks, several times per write. Its
                // default, 50, sized for logs of millions of files, made every small write of a run pay seconds of
                // task scheduling (an ingest's writes took about half as long with fewer); a run's tables have a few
                // files per run date.
                .config("spark.databricks.delta.snapshotPartitions", "8");
        if (catalog != null && catalog.problem().isEmpty() && hiveClassesPresent()) {
            hiveCatalog(builder, catalog);
        }
        for (Map.Entry<String, String> e : settings.conf().entrySet()) {
            builder.config(e.getKey(), e.getValue());
        }
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel(verbose ? "INFO" : "WARN");
        return spark;
    }

    private static void hiveCatalog(SparkSession.Builder builder, CatalogSettings catalog) {
        builder.config("spark.sql.catalogImplementation", "hive");
        if (catalog.mode() == CatalogSettings.Mode.SPARK) {
            return;
        }
        builder.config("spark.sql.warehouse.dir", catalog.sparkWarehouseDir());
        if (catalog.mode() == CatalogSettings.Mode.THRIFT) {
            builder.config("spark.hadoop.hive.metastore.uris", catalog.metastore());
            return;
        }
        Path dir = catalog.localDerbyDir().orElseThrow();
        try {
            Files.createDirectories(dir.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir.getParent(), e);
        }
        builder.config("spark.hadoop.javax.jdo.option.ConnectionURL",
                "jdbc:derby:;databaseName=" + dir + ";create=true");
        // Derby's log beside its database, not in whatever directory cvm was started from.
        if (System.getProperty("derby.stream.error.file") == null) {
            System.setProperty("derby.stream.error.file", dir.resolveSibling("derby.log").toString());
        }
    }

    public static boolean hiveClassesPresent() {
        try {
            Class.forName("org.apache.spark.sql.hive.HiveSessionStateBuilder", false,
                    SparkSessions.class.getClassLoader());
            Class.forName("org.apache.hadoop.hive.conf.HiveConf", false, SparkSessions.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
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
            // The Hive metastore client warns about expected things: a fresh embedded schema, Delta tables having
            // no Hive SerDe (only Spark, Trino and other Delta readers read them), unknown Hive settings.
            Configurator.setLevel("org.apache.hadoop.hive.metastore.ObjectStore", Level.ERROR);
            Configurator.setLevel("org.apache.hadoop.hive.metastore.HiveMetaStore", Level.ERROR);
            Configurator.setLevel("org.apache.hadoop.hive.metastore.RetryingHMSHandler", Level.ERROR);
            Configurator.setLevel("org.apache.hadoop.hive.conf.HiveConf", Level.ERROR);
            Configurator.setLevel("org.apache.hadoop.hive.ql.session.SessionState", Level.ERROR);
            Configurator.setLevel("org.apache.spark.sql.hive.HiveExternalCatalog", Level.ERROR);
            Configurator.setLevel("DataNucleus", Level.ERROR);
            // MLlib: "regParam is zero" (intended by the value map's least squares) and "no native BLAS" (benign).
            Configurator.setLevel("org.apache.spark.ml.util.Instrumentation", Level.ERROR);
            Configurator.setLevel("dev.ludovic.netlib", Level.ERROR);
        }
    }
}
