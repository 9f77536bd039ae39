package dev.cvm.pipeline;

import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.lit;

/**
 * The Delta table {@code run_log}: the step timings of every stage (run_date, stage, step, seconds, rows,
 * finished_at), written from a {@link StepLog} when a stage command ends, and read by the run report.
 *
 * <p>Partitioned by {@code run_date} and {@code stage}. A write replaces the partitions of the stages it carries, so a
 * re-run of a stage replaces that stage's rows and leaves the others alone, and two stages of the same date that run
 * at the same time (Airflow runs some in parallel) write disjoint partitions. Recording timings is bookkeeping: a
 * failure to write them is printed as a warning and never fails the stage.
 */
public final class RunLog {
    public static final String STAGE = "stage";
    public static final StructType SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField(STAGE, DataTypes.StringType, false),
            DataTypes.createStructField("step", DataTypes.StringType, false),
            DataTypes.createStructField("seconds", DataTypes.DoubleType, false),
            DataTypes.createStructField("rows", DataTypes.LongType, true),
            DataTypes.createStructField("finished_at", DataTypes.TimestampType, false)));

    private static final int ATTEMPTS = 3;

    private RunLog() {}

    /**
     * Writes {@code timings} for {@code runDate}, replacing the rows of the stages they belong to. Steps recorded
     * before any stage header get {@code defaultStage}. Returns the rows written, or -1 when the write failed (the
     * reason is printed to {@code log}).
     */
    public static long record(Warehouse warehouse, LocalDate runDate, List<StepLog.Timing> timings,
                              String defaultStage, StepLog log) {
        if (timings.isEmpty()) {
            return 0;
        }
        List<Row> rows = new ArrayList<>();
        Set<String> stages = new LinkedHashSet<>();
        for (StepLog.Timing t : timings) {
            String stage = t.stage() != null ? t.stage() : defaultStage;
            stages.add(stage);
            rows.add(RowFactory.create(stage, t.step(), t.seconds(), t.rows() < 0 ? null : t.rows(), t.finishedAt()));
        }
        RuntimeException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                write(warehouse, runDate, rows, stages);
                return rows.size();
            } catch (RuntimeException e) {
                last = e;
                if (!isConcurrentWrite(e) || attempt == ATTEMPTS) {
                    break;
                }
                try {
                    Thread.sleep(500L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        log.info("  warning: step timings not recorded in %s (%s)", Table.RUN_LOG.tableName(),
                last == null ? "interrupted" : last.getClass().getSimpleName() + ": " + firstLine(last.getMessage()));
        return -1;
    }

    private static void write(Warehouse warehouse, LocalDate runDate, List<Row> rows, Set<String> stages) {
        String in = stages.stream().map(s -> "'" + s.replace("'", "''") + "'").collect(Collectors.joining(", "));
        Dataset<Row> df = warehouse.spark().createDataFrame(rows, SCHEMA)
                .withColumn(Table.RUN_DATE, lit(runDate))
                .select(Table.RUN_DATE, STAGE, "step", "seconds", "rows", "finished_at");
        df.coalesce(1).write().format("delta")
                .mode("overwrite")
                .option("replaceWhere", Table.RUN_DATE + " = '" + runDate + "' AND " + STAGE + " IN (" + in + ")")
                .partitionBy(Table.RUN_DATE, STAGE)
                .save(warehouse.path(Table.RUN_LOG));
    }

    /** Delta's optimistic concurrency exceptions (io.delta.exceptions.Concurrent*): worth a retry. */
    private static boolean isConcurrentWrite(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().contains("Concurrent")) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
