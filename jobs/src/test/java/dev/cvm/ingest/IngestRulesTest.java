package dev.cvm.ingest;

import dev.cvm.config.CvmConfig;
import dev.cvm.contract.InputContract;
import dev.cvm.testing.SparkTestSupport;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.cvm.testing.Fixtures.d;
import static dev.cvm.testing.Fixtures.row;
import static dev.cvm.testing.Fixtures.ts;
import static dev.cvm.testing.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One hand-made input with a row per rule; checks each row lands where the rule says, once. */
class IngestRulesTest {
    static final LocalDate RUN = d("2025-06-30");
    @TempDir
    static Path tmp;
    static Map<String, String> quarantinedAccounts = new HashMap<>();
    static Map<String, String> quarantinedTransactions = new HashMap<>();
    static List<DatasetOutcome> outcomes;
    static Warehouse warehouse;

    @BeforeAll
    static void ingestFixture() {
        Path in = tmp.resolve("in");
        write(in, InputContract.ACCOUNTS,
                row("A1", "C1", d("2020-01-01"), null, "basic", "north", "web", 20.0),
                row("A2", "C2", d("2021-03-01"), d("2024-01-01"), "plus", null, null, null),
                row(null, "C3", d("2021-03-01"), null, "plus", null, null, null),          // null_key
                row("  ", "C3", d("2021-03-01"), null, "plus", null, null, null),          // null_key (blank)
                row("A4", "C4", null, null, "plus", null, null, null),                     // null_value open_date
                row("A5", "C5", d("2026-01-01"), null, "plus", null, null, null),          // date_after_run_date
                row("A6", "C6", d("1850-01-01"), null, "plus", null, null, null),          // date_before_min_date
                row("A7", "C7", d("2022-01-01"), d("2021-01-01"), "plus", null, null, null), // end_before_start
                row("A8", "C8", d("2022-01-01"), null, "plus", null, null, -5.0),          // negative_value
                row("A9", "C9", d("2022-01-01"), null, "plus", null, null, null),          // duplicate_row (kept once)
                row("A9", "C9", d("2022-01-01"), null, "plus", null, null, null),
                row("A10", "C10", d("2022-01-01"), null, "plus", null, null, null),        // duplicate_key (both)
                row("A10", "C10", d("2022-01-01"), null, "basic", null, null, null),
                row("X".repeat(300), "C11", d("2022-01-01"), null, "plus", null, null, null), // key_too_long
                row("Ä-ünïcödé-账户", "C12", d("2022-01-01"), null, "plus", null, null, null)); // valid, non-ASCII
        write(in, InputContract.TRANSACTIONS,
                row("T1", "A1", ts("2025-01-01"), 10.0, "p", "web"),
                row("T2", "A1", ts("2025-06-30T23:59:59Z"), 10.0, null, null),  // the run date itself is fine
                row("T3", "A1", ts("2025-07-01T00:00:00Z"), 10.0, null, null),  // date_after_run_date
                row("T4", "A1", ts("2025-01-01"), -1.0, null, null),            // negative_value
                row("T5", "A1", ts("2025-01-01"), Double.NaN, null, null),      // non_finite_value
                row("T6", "A1", ts("2025-01-01"), Double.POSITIVE_INFINITY, null, null), // non_finite_value
                row("T7", "NOPE", ts("2025-01-01"), 10.0, null, null),          // unknown_reference
                row("T8", "A4", ts("2025-01-01"), 10.0, null, null),            // unknown: A4 was quarantined
                row("T9", "Ä-ünïcödé-账户", ts("2025-01-01"), 10.0, null, null),  // valid
                row("T10", "A1", null, 10.0, null, null));                      // null_value
        CvmConfig config = SparkTestSupport.config(tmp.resolve("wh"), in, "cvm.ingest.max-quarantine-share = 1.0");
        warehouse = SparkTestSupport.warehouse(config);
        outcomes = new IngestStage(config, warehouse, SparkTestSupport.log()).run(RUN);
        for (Row r : warehouse.readRunDate(Table.QUARANTINE, RUN, "ingest").collectAsList()) {
            String raw = r.getAs("raw_row");
            boolean isAccount = r.<String>getAs("dataset").equals("accounts");
            String idField = isAccount ? "account_id" : "transaction_id";
            String id = raw.contains("\"" + idField + "\"")
                    ? raw.replaceAll("^.*?\"" + idField + "\":\"([^\"]*)\".*$", "$1") : "<null>";
            (isAccount ? quarantinedAccounts : quarantinedTransactions).merge(id, r.getAs("rule"), (a, b) -> a + "," + b);
        }
    }

    @Test
    void eachAccountRuleFires() {
        assertEquals("null_key", quarantinedAccounts.get("<null>"));
        assertEquals("null_key", quarantinedAccounts.get("  "));
        assertEquals("null_value", quarantinedAccounts.get("A4"));
        assertEquals("date_after_run_date", quarantinedAccounts.get("A5"));
        assertEquals("date_before_min_date", quarantinedAccounts.get("A6"));
        assertEquals("end_before_start", quarantinedAccounts.get("A7"));
        assertEquals("negative_value", quarantinedAccounts.get("A8"));
        assertEquals("duplicate_row", quarantinedAccounts.get("A9"));
        assertEquals("duplicate_key,duplicate_key", quarantinedAccounts.get("A10"));
        assertEquals("key_too_long", quarantinedAccounts.get("X".repeat(300)));
    }

    @Test
    void eachTransactionRuleFires() {
        assertEquals("date_after_run_date", quarantinedTransactions.get("T3"));
        assertEquals("negative_value", quarantinedTransactions.get("T4"));
        assertEquals("non_finite_value", quarantinedTransactions.get("T5"));
        assertEquals("non_finite_value", quarantinedTransactions.get("T6"));
        assertEquals("unknown_reference", quarantinedTransactions.get("T7"));
        assertEquals("unknown_reference", quarantinedTransactions.get("T8"));
        assertEquals("null_value", quarantinedTransactions.get("T10"));
        assertEquals(7, quarantinedTransactions.size());
    }

    @Test
    void validRowsAreKeptOnceAndEveryRowIsAccountedFor() {
        List<String> accounts = warehouse.readRunDate(Table.ACCOUNTS, RUN, "ingest").select("account_id")
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        assertEquals(List.of("A1", "A2", "A9", "Ä-ünïcödé-账户").stream().sorted().toList(),
                accounts.stream().sorted().toList());
        List<String> txns = warehouse.readRunDate(Table.TRANSACTIONS, RUN, "ingest").select("transaction_id")
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        assertEquals(List.of("T1", "T2", "T9"), txns.stream().sorted().toList());
        for (DatasetOutcome o : outcomes) {
            assertEquals(o.input(), o.valid() + o.quarantined(), o.dataset());
        }
        DatasetOutcome acc = outcomes.get(0);
        assertEquals(15, acc.input());
        assertEquals(4, acc.valid());
    }

    @Test
    void absentOptionalDatasetsAreIngestedEmpty() {
        DatasetOutcome usage = outcomes.stream().filter(o -> o.dataset().equals("usage")).findFirst().orElseThrow();
        assertTrue(!usage.present());
        assertEquals(0, warehouse.readRunDate(Table.USAGE, RUN, "ingest").count());
    }

    @Test
    void quarantineNamesFileRuleAndColumn() {
        Row r = warehouse.readRunDate(Table.QUARANTINE, RUN, "ingest")
                .where("rule = 'negative_value' and dataset = 'transactions'").first();
        assertEquals("amount", r.getAs("column"));
        assertTrue(r.<String>getAs("source_file").contains("transactions"), r.<String>getAs("source_file"));
        assertTrue(r.<String>getAs("raw_row").contains("\"T4\""));
    }
}
