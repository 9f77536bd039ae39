package dev.cvm.cluster;

import dev.cvm.warehouse.Table;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_entries;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Content fingerprints of a warehouse, for telling whether two runs wrote the same data: per table and run date the
 * schema, the row count and the sum of {@code xxhash64} over every column except {@code run_date}. Order-free, so
 * partitioning and file layout do not matter; any changed value, row or column does.
 *
 * <p>The one normalisation: a {@code source_file} column names where a row was read from, and the same input has a
 * different absolute path and Spark's per-write UUID in its part-file names in every run. It is compared as
 * {@code <dataset directory>/part-NNNNN<suffix>}: the dataset and file it came from, without where the run lived.
 * Likewise a model's {@code artifact_path} is compared below the warehouse, and timestamps named {@code *_at}
 * (when a model was trained or a fit ran) and step durations ({@code seconds}) are left out: they record the clock,
 * not the data.
 */
public final class TableChecksums {
    /** Fingerprint of one table (or one run date of it). */
    public record Checksum(String schema, long rows, BigDecimal hashSum) {
        @Override
        public String toString() {
            return rows + " rows, hash sum " + hashSum.toPlainString() + ", schema " + schema;
        }
    }

    static final String SOURCE_FILE = "source_file";
    static final String ARTIFACT_PATH = "artifact_path";
    static final String SECONDS = "seconds";

    private TableChecksums() {}

    /** Every Delta table under {@code <warehouse>/delta/}, one entry per table and run date ("name run_date=D"). */
    public static Map<String, Checksum> ofWarehouse(SparkSession spark, Path warehouse) {
        Map<String, Dataset<Row>> tables = new TreeMap<>();
        Map<String, Checksum> out = new TreeMap<>();
        for (Path dir : subdirectories(warehouse.resolve("delta"))) {
            String name = dir.getFileName().toString();
            if (name.equals(Table.RUN_LOG.tableName())) {
                continue; // step timings of the process that ran: a record of the run, not its data
            }
            if (DeltaTable.isDeltaTable(spark, dir.toString())) {
                tables.put(name, spark.read().format("delta").load(dir.toString()));
            } else {
                out.put(name, new Checksum("<not a Delta table>", -1, BigDecimal.ZERO));
            }
        }
        out.putAll(of(tables));
        return out;
    }

    /**
     * Fingerprints of named tables, each split by run_date when it has one. All tables are hashed in one Spark job
     * (a union of (name, run date, row hash)), since a job per table is most of the cost on small data.
     */
    public static Map<String, Checksum> of(Map<String, Dataset<Row>> tables) {
        Map<String, Checksum> out = new TreeMap<>();
        Dataset<Row> hashes = null;
        for (Map.Entry<String, Dataset<Row>> t : tables.entrySet()) {
            Dataset<Row> df = t.getValue();
            String schema = df.schema().simpleString();
            // Present even when the table is empty; replaced below by its per-run-date entries.
            out.put(t.getKey(), new Checksum(schema, 0, BigDecimal.ZERO));
            List<Column> hashed = new ArrayList<>();
            for (StructField f : df.schema().fields()) {
                if (!f.name().equals(Table.RUN_DATE)) {
                    hashed.add(hashable(f));
                }
            }
            boolean byDate = List.of(df.columns()).contains(Table.RUN_DATE);
            // The decimal sum cannot overflow (ANSI mode would fail a long sum that does).
            Column hash = hashed.isEmpty() ? lit(0L) : xxhash64(hashed.toArray(new Column[0]));
            Dataset<Row> h = df.select(lit(t.getKey()).as("t"), lit(schema).as("schema"),
                    (byDate ? concat(lit(" " + Table.RUN_DATE + "="), col(Table.RUN_DATE).cast("string")) : lit(""))
                            .as("k"),
                    hash.cast(DataTypes.createDecimalType(20, 0)).as("h"));
            hashes = hashes == null ? h : hashes.unionAll(h);
        }
        if (hashes == null) {
            return out;
        }
        for (Row r : hashes.groupBy("t", "schema", "k").agg(count(lit(1)), sum("h")).collectAsList()) {
            out.remove(r.getString(0));
            out.put(r.getString(0) + r.getString(2), new Checksum(r.getString(1), r.getLong(3), r.getDecimal(4)));
        }
        return out;
    }

    private static Column hashable(StructField f) {
        Column c = col("`" + f.name() + "`");
        if (f.name().equals(SOURCE_FILE) && f.dataType().equals(DataTypes.StringType)) {
            // .../<run>/raw/transactions/part-00001-<uuid>-c000.snappy.parquet -> transactions/part-00001-c000.snappy.parquet
            return regexp_replace(c, "^.*/([^/]+)/(part-[0-9]+)-[0-9a-fA-F-]{36}", "$1/$2");
        }
        if (f.name().endsWith("_at") && f.dataType().equals(DataTypes.TimestampType)
                || f.name().equals(SECONDS) && f.dataType().equals(DataTypes.DoubleType)) {
            // trained_at, fitted_at, run_log's seconds: when a run happened and how long it took record the clock,
            // not the data.
            return lit(null).cast(f.dataType());
        }
        if (f.name().equals(ARTIFACT_PATH) && f.dataType().equals(DataTypes.StringType)) {
            // <warehouse>/models/churn/v1 -> models/churn/v1: where the run's warehouse lived is not content.
            return regexp_replace(c, "^.*/(models/)", "$1");
        }
        if (f.dataType() instanceof MapType) {
            // Spark does not hash maps; their entries in key order mean the same.
            return array_sort(map_entries(c));
        }
        return c;
    }

    /** Human-readable differences between two fingerprint sets; empty when they are equal. */
    public static List<String> differences(Map<String, Checksum> a, String aName, Map<String, Checksum> b,
                                           String bName) {
        List<String> out = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys) {
            Checksum x = a.get(k);
            Checksum y = b.get(k);
            if (x == null || y == null) {
                out.add(k + ": only in " + (x == null ? bName : aName));
            } else if (!Objects.equals(x, y)) {
                out.add(k + ":\n      " + aName + ": " + x + "\n      " + bName + ": " + y);
            }
        }
        return out;
    }

    private static List<Path> subdirectories(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
