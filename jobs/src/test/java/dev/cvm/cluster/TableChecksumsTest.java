package dev.cvm.cluster;

import dev.cvm.testing.SparkTestSupport;
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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The equality check of the cluster test finds real differences and ignores only what it says it ignores. */
class TableChecksumsTest {
    private static final LocalDate D = LocalDate.parse("2026-11-01");
    private static final StructType SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("id", DataTypes.StringType, false),
            DataTypes.createStructField("amount", DataTypes.DoubleType, true),
            DataTypes.createStructField("source_file", DataTypes.StringType, true),
            DataTypes.createStructField("run_date", DataTypes.DateType, false)));

    private static Row row(String id, Double amount, String file) {
        return RowFactory.create(id, amount, file, D);
    }

    private static void write(Path warehouse, String table, List<Row> rows, int partitions) {
        SparkSession spark = SparkTestSupport.spark();
        Dataset<Row> df = spark.createDataFrame(rows, SCHEMA).repartition(partitions);
        df.write().format("delta").partitionBy("run_date").save(warehouse.resolve("delta").resolve(table).toString());
    }

    private static Map<String, TableChecksums.Checksum> of(Path warehouse) {
        return TableChecksums.ofWarehouse(SparkTestSupport.spark(), warehouse);
    }

    @Test
    void sameRowsInAnyOrderAndLayoutAreEqualAndOneChangedValueIsNot(@TempDir Path tmp) {
        String f = "/a/run1/raw/t/part-00000-0d0e2b8a-1b7c-4f83-9d55-2a1c4b7c9e10-c000.snappy.parquet";
        String g = "/elsewhere/run2/raw/t/part-00000-7f1e0b2c-aaaa-4bbb-8ccc-0123456789ab-c000.snappy.parquet";
        List<Row> rows = List.of(row("a", 1.5, f), row("b", null, f), row("c", 3.0, f));
        write(tmp.resolve("w1"), "t", rows, 1);
        write(tmp.resolve("w2"), "t", List.of(row("c", 3.0, g), row("a", 1.5, g), row("b", null, g)), 3);
        write(tmp.resolve("w3"), "t", List.of(row("a", 1.5, f), row("b", null, f), row("c", 3.0000001, f)), 1);
        write(tmp.resolve("w4"), "t", List.of(row("a", 1.5, f), row("b", null, f), row("c", 3.0, f.replace("/t/", "/u/"))), 1);

        Map<String, TableChecksums.Checksum> w1 = of(tmp.resolve("w1"));
        assertEquals(3, w1.get("t run_date=2026-11-01").rows());
        assertEquals(List.of(), TableChecksums.differences(w1, "w1", of(tmp.resolve("w2")), "w2"),
                "order, partitioning and where the input lived must not matter");
        List<String> changed = TableChecksums.differences(w1, "w1", of(tmp.resolve("w3")), "w3");
        assertEquals(1, changed.size(), changed.toString());
        assertTrue(changed.get(0).startsWith("t run_date=2026-11-01"), changed.get(0));
        assertEquals(1, TableChecksums.differences(w1, "w1", of(tmp.resolve("w4")), "w4").size(),
                "a row read from another dataset's file is a difference");
    }

    @Test
    void aTableMissingOnOneSideIsADifference(@TempDir Path tmp) {
        write(tmp.resolve("w1"), "t", List.of(row("a", 1.0, null)), 1);
        write(tmp.resolve("w1"), "extra", List.of(row("a", 1.0, null)), 1);
        write(tmp.resolve("w2"), "t", List.of(row("a", 1.0, null)), 1);
        List<String> diff = TableChecksums.differences(of(tmp.resolve("w1")), "w1", of(tmp.resolve("w2")), "w2");
        assertEquals(List.of("extra run_date=2026-11-01: only in w1"), diff);
    }
}
