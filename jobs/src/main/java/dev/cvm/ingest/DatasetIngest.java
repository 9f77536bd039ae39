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

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Turns one raw dataset into a flagged frame: the contract's columns in their canonical types, the source file, the
 * raw row as JSON, and {@code _violation} (rule, column) or null. Every input row stays in the frame exactly once,
 * so valid + quarantined always adds up to the input.
 */
final class DatasetIngest {
    static final String SOURCE_FILE = "_source_file";
    static final String RAW_ROW = "_raw_row";
    static final String VIOLATION = "_violation";

    private DatasetIngest() {}

    /**
     * @param parents for each referencing column ("dataset.column" of the parent), the parent's valid key values
     */
    static Dataset<Row> flag(SparkSession spark, DatasetSpec spec, List<String> files, StructType physical,
                             LocalDate runDate, IngestSettings settings, Map<String, Dataset<Row>> parents) {
        Dataset<Row> raw = spark.read().schema(physical).parquet(files.toArray(new String[0]))
                .withColumn(SOURCE_FILE, col("_metadata.file_path"));
        List<String> contractNames = spec.columnNames();
        Column[] rawColumns = Arrays.stream(physical.fields()).map(StructField::name)
                .filter(contractNames::contains).map(n -> col("`" + n + "`")).toArray(Column[]::new);

        List<Column> select = new ArrayList<>();
        for (ColumnSpec c : spec.columns()) {
            select.add(normalized(c, physical).as(c.name()));
        }
        select.add(col(SOURCE_FILE));
        select.add(to_json(struct(rawColumns)).as(RAW_ROW));
        Dataset<Row> typed = raw.select(select.toArray(new Column[0]));

        Dataset<Row> flagged = typed.withColumn(VIOLATION,
                RowRules.firstViolation(RowRules.checks(spec, runDate, settings)));
        flagged = flagDuplicates(spec, flagged);
        for (ColumnSpec c : spec.columns()) {
            if (c.references() != null) {
                flagged = flagUnknownReference(flagged, c, parents.get(c.references()));
            }
        }
        return flagged;
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
     */
    private static Dataset<Row> flagDuplicates(DatasetSpec spec, Dataset<Row> df) {
        Column content = xxhash64(spec.columnNames().stream().map(n -> col(n)).toArray(Column[]::new));
        List<Column> keyCols = new ArrayList<>();
        keyCols.add(col(VIOLATION).isNull().as("_clean"));
        spec.key().forEach(k -> keyCols.add(col(k)));
        WindowSpec byKey = Window.partitionBy(keyCols.toArray(new Column[0]));
        List<Column> copyCols = new ArrayList<>(keyCols);
        copyCols.add(content);
        WindowSpec byCopy = Window.partitionBy(copyCols.toArray(new Column[0])).orderBy(col(SOURCE_FILE), col(RAW_ROW));
        Column versions = size(collect_set(content).over(byKey));
        Column copyNo = row_number().over(byCopy);
        Column dupKey = struct(lit(Rule.DUPLICATE_KEY).as("rule"), lit(String.join(",", spec.key())).as("column"));
        Column dupRow = struct(lit(Rule.DUPLICATE_ROW).as("rule"), lit(String.join(",", spec.key())).as("column"));
        return df.withColumn(VIOLATION, when(col(VIOLATION).isNotNull(), col(VIOLATION))
                .when(versions.gt(1), dupKey)
                .when(copyNo.gt(1), dupRow));
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
