package dev.cvm.publish;

import dev.cvm.CvmException;
import dev.cvm.config.CatalogSettings;
import dev.cvm.features.FeatureSettings;
import dev.cvm.pipeline.StepLog;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Registers cvm's Delta tables by name in the Hive-compatible catalog: {@code CREATE TABLE IF NOT EXISTS
 * <db>.<table> USING DELTA LOCATION '<warehouse>/delta/<table>'}, external tables, so dropping one never deletes
 * data. Table and column comments ({@link OutputTables}) are written to the Delta log, where Spark, a Thrift server
 * and Trino all read them; only comments that differ are written, so a nightly re-registration commits nothing.
 */
public final class CatalogPublisher {
    /** What happened to one table. */
    public record Registered(Table table, String name, String location, boolean created, int commentsWritten) {}

    private final SparkSession spark;
    private final Warehouse warehouse;
    private final CatalogSettings settings;
    private final FeatureSettings features;
    private final StepLog log;

    public CatalogPublisher(SparkSession spark, Warehouse warehouse, CatalogSettings settings, FeatureSettings features,
                            StepLog log) {
        this.spark = spark;
        this.warehouse = warehouse;
        this.settings = settings;
        this.features = features;
        this.log = log;
    }

    /** Fails with what to do when this session cannot reach the configured catalog. */
    public static void requireCatalog(SparkSession spark, CatalogSettings settings) {
        settings.problem().ifPresent(p -> {
            throw new CvmException(p);
        });
        String impl = spark.conf().get("spark.sql.catalogImplementation", "in-memory");
        if (!impl.equals("hive")) {
            throw new CvmException("this Spark session has no Hive catalog (spark.sql.catalogImplementation = " + impl
                    + "): put spark-hive on the classpath (a Spark distribution built with Hive has it; bin/cvm "
                    + "does) or set cvm.catalog.enabled = false");
        }
    }

    /** Registers every cvm table that exists in the warehouse; returns one entry per table. */
    public List<Registered> publish() {
        requireCatalog(spark, settings);
        String db = settings.database();
        log.run("catalog database " + db, () -> {
            sql("CREATE DATABASE IF NOT EXISTS " + ident(db) + " COMMENT "
                    + literal("cvm: customer value management tables (docs/output-tables.md)"));
            return null;
        });
        List<Registered> out = new ArrayList<>();
        for (Table t : Table.values()) {
            if (warehouse.exists(t)) {
                out.add(log.run("register " + db + "." + t.tableName(), () -> register(t)));
            }
        }
        return out;
    }

    private Registered register(Table t) {
        String name = ident(settings.database()) + "." + ident(t.tableName());
        String location = qualified(warehouse.path(t));
        boolean created = false;
        if (spark.catalog().tableExists(settings.database() + "." + t.tableName())) {
            String registered = registeredLocation(name);
            if (registered == null || !qualified(registered).equals(location)) {
                throw new CvmException("catalog table " + settings.database() + "." + t.tableName() + " points at "
                        + registered + ", not at this warehouse's " + location + ": another warehouse uses catalog "
                        + "database " + settings.database() + ". Use another cvm.catalog.database, or drop the old "
                        + "registration (DROP TABLE " + settings.database() + "." + t.tableName()
                        + "; the table is external, its data stays)");
            }
        } else {
            sql("CREATE TABLE IF NOT EXISTS " + name + " USING DELTA LOCATION " + literal(location) + " COMMENT "
                    + literal(OutputTables.tableComment(t)));
            created = true;
        }
        return new Registered(t, settings.database() + "." + t.tableName(), location, created,
                writeComments(t, name));
    }

    /** Sets the table comment and column comments in the Delta log where they differ; returns how many changed. */
    private int writeComments(Table t, String name) {
        int changed = 0;
        String want = OutputTables.tableComment(t);
        // The catalog's view of the table: Delta's description and schema, from the log's metadata alone (DESCRIBE
        // DETAIL would also add up the files, a Spark job per table).
        if (!want.equals(description(name))) {
            sql("COMMENT ON TABLE " + name + " IS " + literal(want));
            changed++;
        }
        StructField[] fields = spark.table(name).schema().fields();
        List<String> columns = new ArrayList<>();
        Map<String, String> current = new LinkedHashMap<>();
        for (StructField f : fields) {
            columns.add(f.name());
            current.put(f.name(), f.getComment().isDefined() ? f.getComment().get() : null);
        }
        List<String> alters = new ArrayList<>();
        for (Map.Entry<String, String> e : OutputTables.columnComments(t, columns, features).entrySet()) {
            if (!Objects.equals(current.get(e.getKey()), e.getValue())) {
                alters.add(ident(e.getKey()) + " COMMENT " + literal(e.getValue()));
            }
        }
        if (!alters.isEmpty()) {
            // One Delta commit for all columns.
            sql("ALTER TABLE " + name + " ALTER COLUMN " + String.join(", ", alters));
            changed += alters.size();
        }
        return changed;
    }

    private String description(String name) {
        try {
            return spark.catalog().getTable(name).description();
        } catch (AnalysisException e) { // checked in Java's eyes; the table was registered just before
            throw new CvmException("catalog table " + name + " cannot be read back: " + e.getMessage(), e);
        }
    }

    private String registeredLocation(String name) {
        for (Row r : sql("DESCRIBE TABLE EXTENDED " + name).collectAsList()) {
            if ("Location".equals(r.getString(0))) {
                return r.getString(1);
            }
        }
        return null;
    }

    private String qualified(String path) {
        try {
            Path p = new Path(path);
            return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(p).toString();
        } catch (IOException e) {
            throw new CvmException("cannot resolve " + path + ": " + e.getMessage(), e);
        }
    }

    private org.apache.spark.sql.Dataset<Row> sql(String statement) {
        try {
            return spark.sql(statement);
        } catch (Exception e) { // AnalysisException is a checked exception that Scala does not declare
            throw explain(e, settings);
        }
    }

    /** Turns the metastore's own failures into what to do about them; other failures keep their first line. */
    public static RuntimeException explain(Exception e, CatalogSettings settings) {
        StringBuilder chain = new StringBuilder();
        for (Throwable c = e; c != null && chain.length() < 1_000_000; c = c.getCause() == c ? null : c.getCause()) {
            chain.append(c.getMessage()).append('\n');
            if (c instanceof java.sql.SQLException sql && sql.getNextException() != null) {
                chain.append(sql.getNextException().getMessage()).append('\n');
            }
        }
        String all = chain.toString();
        if (all.contains("Another instance of Derby") || all.contains("XSDB6")) {
            return new CvmException("the embedded metastore " + settings.derbyDir() + " is in use by another "
                    + "process (embedded Derby serves one process at a time): wait for it to finish, or use a "
                    + "Hive metastore (cvm.catalog.metastore = thrift://host:9083)", e);
        }
        if (settings.mode() != CatalogSettings.Mode.EMBEDDED && (all.contains("Could not connect to meta store")
                || all.contains("Unable to instantiate") && all.contains("MetaStoreClient"))) {
            String first = String.valueOf(e.getMessage());
            return new CvmException("cannot reach the Hive metastore (" + settings.metastore() + "): "
                    + first.lines().findFirst().orElse(first), e);
        }
        if (e instanceof RuntimeException r && !(e instanceof org.apache.spark.SparkThrowable)) {
            return r;
        }
        String m = String.valueOf(e.getMessage());
        return new CvmException(m.lines().findFirst().orElse(m), e);
    }

    /** A backquoted Spark SQL identifier. */
    static String ident(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /** A Spark SQL string literal (backslash escapes are on by default). */
    static String literal(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
