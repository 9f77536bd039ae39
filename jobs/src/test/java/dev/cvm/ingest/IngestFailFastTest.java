package dev.cvm.ingest;

import dev.cvm.CvmException;
import dev.cvm.config.CvmConfig;
import dev.cvm.contract.InputContract;
import dev.cvm.testing.SparkTestSupport;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static dev.cvm.testing.Fixtures.d;
import static dev.cvm.testing.Fixtures.row;
import static dev.cvm.testing.Fixtures.ts;
import static dev.cvm.testing.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shape errors stop the run before anything is written, with a message naming file, column and rule. */
class IngestFailFastTest {
    static final LocalDate RUN = d("2025-06-30");

    private static void goodInput(Path in) {
        write(in, InputContract.ACCOUNTS, row("A1", "C1", d("2020-01-01"), null, "basic", null, null, null));
        write(in, InputContract.TRANSACTIONS, row("T1", "A1", ts("2025-01-01"), 10.0, null, null));
    }

    private static CvmException ingestFails(Path tmp, Path in, String extraConf) {
        CvmConfig config = SparkTestSupport.config(tmp.resolve("wh"), in, extraConf);
        Warehouse wh = SparkTestSupport.warehouse(config);
        return assertThrows(CvmException.class,
                () -> new IngestStage(config, wh, SparkTestSupport.log()).run(RUN));
    }

    @Test
    void missingRequiredColumnNamesFileAndColumn(@TempDir Path tmp) {
        Path in = tmp.resolve("in");
        goodInput(in);
        StructType noAmount = DataTypes.createStructType(List.of(
                DataTypes.createStructField("transaction_id", DataTypes.StringType, true),
                DataTypes.createStructField("account_id", DataTypes.StringType, true),
                DataTypes.createStructField("transaction_ts", DataTypes.TimestampType, true)));
        dev.cvm.testing.Fixtures.write(in, "transactions", noAmount, List.of(row("T1", "A1", ts("2025-01-01"))));
        CvmException e = ingestFails(tmp, in, null);
        assertTrue(e.getMessage().contains("transactions") && e.getMessage().contains("[amount]")
                && e.getMessage().contains(".parquet"), e.getMessage());
    }

    @Test
    void wrongTypeNamesExpectedAndFound(@TempDir Path tmp) {
        Path in = tmp.resolve("in");
        goodInput(in);
        StructType textAmount = DataTypes.createStructType(List.of(
                DataTypes.createStructField("transaction_id", DataTypes.StringType, true),
                DataTypes.createStructField("account_id", DataTypes.StringType, true),
                DataTypes.createStructField("transaction_ts", DataTypes.TimestampType, true),
                DataTypes.createStructField("amount", DataTypes.StringType, true)));
        dev.cvm.testing.Fixtures.write(in, "transactions", textAmount, List.of(row("T1", "A1", ts("2025-01-01"), "10")));
        CvmException e = ingestFails(tmp, in, null);
        assertTrue(e.getMessage().contains("column 'amount' has type string, expected number")
                && e.getMessage().contains("fix the export"), e.getMessage());
    }

    @Test
    void corruptFileIsNamed(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        goodInput(in);
        Path bad = in.resolve("transactions").resolve("part-99999-corrupt.parquet");
        Files.writeString(bad, "this is not parquet");
        CvmException e = ingestFails(tmp, in, null);
        assertTrue(e.getMessage().contains("part-99999-corrupt.parquet") && e.getMessage().contains("not a readable"),
                e.getMessage());
    }

    @Test
    void extraColumnFailsUnlessIgnored(@TempDir Path tmp) {
        Path in = tmp.resolve("in");
        goodInput(in);
        StructType extra = DataTypes.createStructType(List.of(
                DataTypes.createStructField("transaction_id", DataTypes.StringType, true),
                DataTypes.createStructField("account_id", DataTypes.StringType, true),
                DataTypes.createStructField("transaction_ts", DataTypes.TimestampType, true),
                DataTypes.createStructField("amount", DataTypes.IntegerType, true),
                DataTypes.createStructField("loyalty_points", DataTypes.IntegerType, true)));
        dev.cvm.testing.Fixtures.write(in, "transactions", extra, List.of(row("T1", "A1", ts("2025-01-01"), 10, 5)));
        CvmException e = ingestFails(tmp, in, null);
        assertTrue(e.getMessage().contains("'loyalty_points' is not in the contract"), e.getMessage());

        CvmConfig config = SparkTestSupport.config(tmp.resolve("wh2"), in, "cvm.ingest.extra-columns = ignore");
        Warehouse wh = SparkTestSupport.warehouse(config);
        new IngestStage(config, wh, SparkTestSupport.log()).run(RUN);
        // The integer amount was widened to double.
        assertEquals(10.0, wh.readRunDate(Table.TRANSACTIONS, RUN, "ingest").first().<Double>getAs("amount"));
    }

    @Test
    void missingRequiredDatasetIsAnError(@TempDir Path tmp) {
        Path in = tmp.resolve("in");
        write(in, InputContract.ACCOUNTS, row("A1", "C1", d("2020-01-01"), null, "basic", null, null, null));
        CvmException e = ingestFails(tmp, in, null);
        assertTrue(e.getMessage().contains("dataset transactions: no input") && e.getMessage().contains("(directory missing)")
                && e.getMessage().contains("cvm.input.root = " + in), e.getMessage());
        assertEquals(1, e.exitCode());
    }

    @Test
    void tooMuchQuarantineFailsAndKeepsThePreviousOutput(@TempDir Path tmp) {
        Path in = tmp.resolve("in");
        goodInput(in);
        CvmConfig config = SparkTestSupport.config(tmp.resolve("wh"), in, null);
        Warehouse wh = SparkTestSupport.warehouse(config);
        new IngestStage(config, wh, SparkTestSupport.log()).run(RUN);
        long version = io.delta.tables.DeltaTable.forPath(SparkTestSupport.spark(), wh.path(Table.TRANSACTIONS))
                .history(1).first().getLong(0);

        // Next delivery: half the transactions are negative.
        write(in, InputContract.TRANSACTIONS, row("T1", "A1", ts("2025-01-01"), 10.0, null, null),
                row("T2", "A1", ts("2025-01-02"), -10.0, null, null));
        CvmException e = ingestFails(tmp, in, null);
        assertTrue(e.getMessage().contains("transactions: 1 of 2 rows") && e.getMessage().contains("negative_value"),
                e.getMessage());
        long after = io.delta.tables.DeltaTable.forPath(SparkTestSupport.spark(), wh.path(Table.TRANSACTIONS))
                .history(1).first().getLong(0);
        assertEquals(version, after, "no new commit on transactions");
        assertEquals(1, wh.readRunDate(Table.TRANSACTIONS, RUN, "ingest").count());
    }
}
