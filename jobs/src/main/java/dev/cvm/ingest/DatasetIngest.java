package dev.cvm.ingest;

import dev.cvm.config.IngestSettings;
import dev.cvm.contract.ColumnSpec;
import dev.cvm.contract.DatasetSpec;
import dev.cvm.contract.LogicalType;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Turns one raw dataset into a flagged frame: the contract's columns in their canonical types, the source file, the
 * raw value of every column that normalisation changed, and {@code _violation} (rule, column) or null. Every input
 * row stays in the frame exactly once, so valid + quarantined always adds up to the input.
 *
 * <p>The raw row is kept as an expression ({@link Flagged#rawRow()}), evaluated only for quarantined rows: building
 * JSON for every input row and caching it cost about 40% of ingest's validation time and more than half its memory
 * at 1M accounts (bench/tuning.md).
 */
final class DatasetIngest {
    static final String SOURCE_FILE = "_source_file";
    static final String VIOLATION = "_violation";
    private static final String RAW_PREFIX = "_raw_";
    private static final String CONTENT = "_content";

    private DatasetIngest() {}

    /**
     * @param rows    the flagged frame
     * @param rawRow  the input row as JSON (the contract's columns as delivered, in file order), over {@code rows}
     */
    record Flagged(Dataset<Row> rows, Column rawRow) {
        Flagged persist() {
            return new Flagged(rows.persist(StorageLevel.MEMORY_AND_DISK()), rawRow);
        }
    }

    /**
     * @param parents for each referencing column ("dataset.column" of the parent), the parent's valid key values
     */
    static Flagged flag(SparkSession spark, DatasetSpec spec, List<String> files, StructType physical,
                        LocalDate runDate, IngestSettings settings, Map<String, Dataset<Row>> parents) {
        Dataset<Row> raw = spark.read().schema(physical).parquet(files.toArray(new String[0]))
                .withColumn(SOURCE_FILE, col("_metadata.file_path"));
        List<String> contractNames = spec.columnNames();
        List<StructField> delivered = Arrays.stream(physical.fields())
                .filter(f -> contractNames.contains(f.name())).toList();

        List<Column> select = new ArrayList<>();
        for (ColumnSpec c : spec.columns()) {
            select.add(normalized(c, physical).as(c.name()));
        }
        select.add(col(SOURCE_FILE));
        // Where normalisation changed a value, the delivered one is kept beside it for the quarantine's raw row.
        List<Column> rawFields = new ArrayList<>();
        List<Column> changedRaw = new ArrayList<>();
        for (StructField f : delivered) {
            if (changedByNormalisation(spec, f)) {
                select.add(col("`" + f.name() + "`").as(RAW_PREFIX + f.name()));
                changedRaw.add(col(RAW_PREFIX + f.name()));
                rawFields.add(col(RAW_PREFIX + f.name()).as(f.name()));
            } else {
                rawFields.add(col("`" + f.name() + "`"));
            }
        }
        Dataset<Row> typed = raw.select(select.toArray(new Column[0]));

        Dataset<Row> flagged = typed.withColumn(VIOLATION,
                RowRules.firstViolation(RowRules.checks(spec, runDate, settings)));
        flagged = flagDuplicates(spec, flagged, changedRaw);
        for (ColumnSpec c : spec.columns()) {
            if (c.references() != null) {
                flagged = flagUnknownReference(flagged, c, parents.get(c.references()));
            }
        }
        return new Flagged(flagged, to_json(struct(rawFields.toArray(new Column[0]))));
    }

    private static boolean changedByNormalisation(DatasetSpec spec, StructField delivered) {
        return !delivered.dataType().equals(spec.column(delivered.name()).orElseThrow().type().canonical());
    }

    /** Casts a present column to its canonical type (only lossless widenings reach here), or null when absent. */
    private static Column normalized(ColumnSpec c, StructType physical) {
        StructField found = Arrays.stream(physical.fields()).filter(f -> f.name().equals(c.name()))
                .findFirst().orElse(null);
        if (found == null) {
            return lit(null).cast(c.type().canonical());
        }
        Column v = col("`" + c.name() + "`");
        DataType t = found.dataType();
        if (c.type() == LogicalType.DATE && !(t instanceof DateType)) {
            return to_date(v);
        }
        return t.equals(c.type().canonical()) ? v : v.cast(c.type().canonical());
    }

    /**
     * Exact copies of a row keep one copy (the rest are duplicate_row); rows sharing a key with different content
     * are all quarantined (duplicate_key), since nothing says which one is right.
     *
     * <p>One window sort does both: within a key, rows are ordered by a hash of their content, so the key has
     * several versions exactly when its first and last hash differ, and otherwise every row after the first is a
     * copy. The copy kept is the one from the first source file (then the first delivered value where
     * normalisation made different deliveries equal), so a re-run keeps the same one.
     */
    private static Dataset<Row> flagDuplicates(DatasetSpec spec, Dataset<Row> df, List<Column> changedRaw) {
        List<Column> keyCols = new ArrayList<>();
        keyCols.add(col(VIOLATION).isNull());
        spec.key().forEach(k -> keyCols.add(col(k)));
        List<Column> order = new ArrayList<>(List.of(col(CONTENT), col(SOURCE_FILE)));
        order.addAll(changedRaw);
        WindowSpec byKey = Window.partitionBy(keyCols.toArray(new Column[0])).orderBy(order.toArray(new Column[0]));
        WindowSpec wholeKey = byKey.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
        Column severalVersions = min(col(CONTENT)).over(wholeKey).notEqual(max(col(CONTENT)).over(wholeKey));
        Column copy = row_number().over(byKey).gt(1);
        Column dupKey = struct(lit(Rule.DUPLICATE_KEY).as("rule"), lit(String.join(",", spec.key())).as("column"));
        Column dupRow = struct(lit(Rule.DUPLICATE_ROW).as("rule"), lit(String.join(",", spec.key())).as("column"));
        Column content = xxhash64(spec.columnNames().stream().map(n -> col(n)).toArray(Column[]::new));
        return df.withColumn(CONTENT, content)
                .withColumn(VIOLATION, when(col(VIOLATION).isNotNull(), col(VIOLATION))
                        .when(severalVersions, dupKey)
                        .when(copy, dupRow))
                .drop(CONTENT);
    }

    private static Dataset<Row> flagUnknownReference(Dataset<Row> df, ColumnSpec c, Dataset<Row> parentKeys) {
        if (parentKeys == null) {
            throw new IllegalStateException("parent " + c.references() + " must be ingested before " + c.name());
        }
        Dataset<Row> keys = parentKeys.toDF("_parent_key").distinct().withColumn("_parent_found", lit(true));
        Dataset<Row> joined = df.join(keys, df.col(c.name()).equalTo(keys.col("_parent_key")), "left");
        Column unknown = col(c.name()).isNotNull().and(coalesce(col("_parent_found"), lit(false)).equalTo(false));
        Column violation = struct(lit(Rule.UNKNOWN_REFERENCE).as("rule"), lit(c.name()).as("column"));
        return joined.withColumn(VIOLATION, when(col(VIOLATION).isNotNull(), col(VIOLATION))
                        .when(unknown, violation))
                .drop("_parent_key", "_parent_found");
    }
}
