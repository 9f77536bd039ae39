package dev.cvm.warehouse;

import dev.cvm.testing.SparkTestSupport;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.IntStream;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The row counts a write reports come from the latest commit in the Delta log, and agree with Delta's history. */
class WriteRowCountTest {
    private static final LocalDate D1 = LocalDate.parse("2026-10-01");
    private static final LocalDate D2 = LocalDate.parse("2026-11-01");
    private static final StructType SCHEMA = new StructType()
            .add("account_id", DataTypes.StringType)
            .add("as_of_date", DataTypes.DateType);

    @TempDir
    Path dir;

    @Test
    void everyWriteReportsTheRowsOfItsOwnCommit() {
        SparkSession spark = SparkTestSupport.spark();
        Warehouse w = new Warehouse(spark, dir.toString());
        Table t = Table.SEGMENT_SUMMARY;

        assertEquals(5, w.replaceRunDate(t, rows(spark, 5, D1), D1));
        assertEquals(5, historyCount(spark, w, t));
        assertEquals(3, w.replaceRunDate(t, rows(spark, 3, D2), D2));
        // A re-run of a date replaces its rows: the commit's count, not the table's.
        assertEquals(7, w.replaceRunDate(t, rows(spark, 7, D1), D1));
        assertEquals(7, historyCount(spark, w, t));
        assertEquals(0, w.replaceRunDate(t, rows(spark, 0, D2), D2));
        assertEquals(7, w.read(t).count());

        Table features = Table.ACCOUNT_FEATURES;
        assertEquals(4, w.replacePartitions(features, rows(spark, 4, D1), D2, "as_of_date", List.of(D1)));
        assertEquals(4, historyCount(spark, w, features));
    }

    private static Dataset<Row> rows(SparkSession spark, int n, LocalDate asOf) {
        List<Row> rows = IntStream.range(0, n).mapToObj(i -> (Row) RowFactory.create("a" + i, asOf))
                .toList();
        return spark.createDataFrame(rows, SCHEMA);
    }

    /** What Delta's own history says the latest commit wrote. */
    private static long historyCount(SparkSession spark, Warehouse w, Table t) {
        Row last = DeltaTable.forPath(spark, w.path(t)).history(1)
                .select(col("operationMetrics").getItem("numOutputRows")).first();
        return Long.parseLong(last.getString(0));
    }
}
