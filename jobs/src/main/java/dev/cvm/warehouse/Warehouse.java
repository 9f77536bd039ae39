package dev.cvm.warehouse;

import dev.cvm.CvmException;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.jdk.javaapi.CollectionConverters;

import java.time.LocalDate;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * Reads and writes cvm's Delta tables under one warehouse root ({@code <warehouse>/delta/<table>}).
 *
 * <p>A run date is written with {@code replaceWhere run_date = D}: one Delta transaction that swaps that date's
 * rows and leaves every other date alone, so a re-run replaces instead of appending and readers never see half.
 * Every write passes the {@link FaultInjection} hook (off unless its system property is set) and turns a lost
 * commit race into a clear message ({@link WriteFailures}).
 */
public final class Warehouse {
    private final SparkSession spark;
    private final String root;

    public Warehouse(SparkSession spark, String root) {
        this.spark = spark;
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    public SparkSession spark() {
        return spark;
    }

    public String root() {
        return root;
    }

    public String path(Table table) {
        return root + "/delta/" + table.tableName();
    }

    /** Where non-tabular artifacts (models, reports) live. */
    public String artifactPath(String first, String... more) {
        StringBuilder sb = new StringBuilder(root).append('/').append(first);
        for (String m : more) {
            sb.append('/').append(m);
        }
        return sb.toString();
    }

    public boolean exists(Table table) {
        return DeltaTable.isDeltaTable(spark, path(table));
    }

    public Dataset<Row> read(Table table) {
        if (!exists(table)) {
            throw new CvmException("table " + table.tableName() + " does not exist at " + path(table)
                    + ": run the stage that writes it first");
        }
        return spark.read().format("delta").load(path(table));
    }

    /** The rows of one run date; fails with the stage to run when there are none. */
    public Dataset<Row> readRunDate(Table table, LocalDate runDate, String producingCommand) {
        if (!exists(table)) {
            throw new CvmException("table " + table.tableName() + " has no data: run `cvm " + producingCommand
                    + " --run-date " + runDate + "` first");
        }
        Dataset<Row> df = read(table).where(col(Table.RUN_DATE).equalTo(lit(runDate)));
        return df.drop(Table.RUN_DATE);
    }

    public boolean hasRunDate(Table table, LocalDate runDate) {
        return exists(table) && !read(table)
                .where(col(Table.RUN_DATE).equalTo(lit(runDate))).isEmpty();
    }

    /**
     * Replaces the rows of {@code runDate} in {@code table} with {@code rows} in one Delta transaction.
     * {@code rows} must not carry run_date; it is added here so no stage can write the wrong date.
     */
    public long replaceRunDate(Table table, Dataset<Row> rows, LocalDate runDate) {
        FaultInjection.at(FaultInjection.Point.BEFORE_WRITE, table);
        Dataset<Row> out = FaultInjection.duringWrite(table, rows).withColumn(Table.RUN_DATE, lit(runDate));
        try {
            out.write().format("delta")
                    .mode("overwrite")
                    .option("replaceWhere", Table.RUN_DATE + " = '" + runDate + "'")
                    .option("mergeSchema", "true")
                    .partitionBy(Table.RUN_DATE)
                    .save(path(table));
        } catch (Exception e) {
            // Spark's SparkException is checked in Java but thrown undeclared from Scala: catch it here too.
            CvmException clear = WriteFailures.explain(table, runDate, e);
            if (clear != null) {
                throw clear;
            }
            throw e;
        }
        FaultInjection.at(FaultInjection.Point.AFTER_WRITE, table);
        return lastWriteRowCount(table);
    }

    /**
     * Replaces only the given values of a second partition column within {@code runDate} (e.g. the as-of dates a
     * features run computed), so a backfill and a nightly run of the same date do not erase each other.
     */
    public long replacePartitions(Table table, Dataset<Row> rows, LocalDate runDate, String column,
                                  java.util.Collection<LocalDate> values) {
        String in = values.stream().map(v -> "'" + v + "'").sorted().collect(java.util.stream.Collectors.joining(", "));
        FaultInjection.at(FaultInjection.Point.BEFORE_WRITE, table);
        Dataset<Row> out = FaultInjection.duringWrite(table, rows).withColumn(Table.RUN_DATE, lit(runDate));
        try {
            out.write().format("delta")
                    .mode("overwrite")
                    .option("replaceWhere", Table.RUN_DATE + " = '" + runDate + "' AND " + column + " IN (" + in + ")")
                    .option("mergeSchema", "true")
                    .partitionBy(Table.RUN_DATE, column)
                    .save(path(table));
        } catch (Exception e) {
            // Spark's SparkException is checked in Java but thrown undeclared from Scala: catch it here too.
            CvmException clear = WriteFailures.explain(table, runDate, e);
            if (clear != null) {
                throw clear;
            }
            throw e;
        }
        FaultInjection.at(FaultInjection.Point.AFTER_WRITE, table);
        return lastWriteRowCount(table);
    }

    /**
     * Rows written by the latest commit, from Delta's own operation metrics (no second scan). For the step log: a
     * run of another date committing to the same table in between would make it that commit's count.
     */
    public long lastWriteRowCount(Table table) {
        Map<String, String> metrics = LatestCommit.operationMetrics(spark, path(table)).orElseGet(() -> {
            Row last = DeltaTable.forPath(spark, path(table)).history(1).select("operationMetrics").first();
            return last.isNullAt(0) ? Map.of() : CollectionConverters.asJava(last.<String, String>getMap(0));
        });
        if (metrics.containsKey("numOutputRows")) {
            return Long.parseLong(metrics.get("numOutputRows"));
        }
        // An empty replacement writes no files and reports no row count.
        return "0".equals(metrics.get("numFiles")) ? 0 : -1;
    }
}
