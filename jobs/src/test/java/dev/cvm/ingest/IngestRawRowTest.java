package dev.cvm.ingest;

import dev.cvm.config.CvmConfig;
import dev.cvm.contract.InputContract;
import dev.cvm.testing.SparkTestSupport;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.cvm.testing.Fixtures.d;
import static dev.cvm.testing.Fixtures.row;
import static dev.cvm.testing.Fixtures.ts;
import static dev.cvm.testing.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Columns delivered in a wider type than the contract's (an integer id, a timestamp for a date) are normalised for
 * the tables, but the quarantine keeps the row as it was delivered, and copies that normalisation made equal keep
 * the same one on every run.
 */
class IngestRawRowTest {
    static final LocalDate RUN = d("2025-06-30");

    @Test
    void quarantineShowsDeliveredValuesAndTheFirstDeliveredCopyIsKept(@TempDir Path tmp) {
        Path in = tmp.resolve("in");
        StructType wideAccounts = StructType.fromDDL(
                "account_id BIGINT, customer_id STRING, open_date TIMESTAMP, plan STRING");
        write(in, "accounts", wideAccounts, List.of(
                row(7L, "C7", ts("2020-01-01T20:00:00Z"), "basic"),  // same date as the next: a copy once normalised
                row(7L, "C7", ts("2020-01-01T08:00:00Z"), "basic"),  // kept: the earlier delivered value
                row(8L, "C8", ts("2099-01-01T08:00:00Z"), "basic"),  // date_after_run_date
                row(9L, "C9", ts("2021-05-05T08:00:00Z"), "plus")));
        write(in, InputContract.TRANSACTIONS, row("T1", "7", ts("2025-01-01"), 10.0, null, null));
        CvmConfig config = SparkTestSupport.config(tmp.resolve("wh"), in, "cvm.ingest.max-quarantine-share = 1.0");
        Warehouse warehouse = SparkTestSupport.warehouse(config);
        new IngestStage(config, warehouse, SparkTestSupport.log()).run(RUN);

        Map<String, String> rawByRule = warehouse.readRunDate(Table.QUARANTINE, RUN, "ingest").collectAsList()
                .stream().collect(Collectors.toMap(r -> r.<String>getAs("rule"), r -> r.<String>getAs("raw_row")));
        assertEquals(Map.of(
                "duplicate_row", "{\"account_id\":7,\"customer_id\":\"C7\",\"open_date\":\"2020-01-01T20:00:00.000Z\","
                        + "\"plan\":\"basic\"}",
                "date_after_run_date", "{\"account_id\":8,\"customer_id\":\"C8\","
                        + "\"open_date\":\"2099-01-01T08:00:00.000Z\",\"plan\":\"basic\"}"), rawByRule);
        List<String> valid = warehouse.readRunDate(Table.ACCOUNTS, RUN, "ingest").orderBy("account_id")
                .select("account_id").as(Encoders.STRING()).collectAsList();
        assertEquals(List.of("7", "9"), valid);
        Row kept = warehouse.readRunDate(Table.ACCOUNTS, RUN, "ingest").where("account_id = '7'").first();
        assertEquals(d("2020-01-01"), kept.<LocalDate>getAs("open_date"));
    }
}
