package dev.cvm.features;

import dev.cvm.config.CvmConfig;
import dev.cvm.contract.DatasetSpec;
import dev.cvm.contract.InputContract;
import dev.cvm.testing.SharedData;
import dev.cvm.testing.SparkTestSupport;
import dev.cvm.testing.WarehouseFixtures;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.cvm.testing.Fixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The BG/NBD summary of account_features reproduces the published CDNOW summary: CDNOW_sample.txt as transactions,
 * calibration end 1997-09-30 (so as-of 1997-10-01: events strictly before), weeks as the unit.
 */
class CdnowSummaryTest {
    @TempDir
    Path tmp;

    @Test
    void rebuildsCdnowCustomersSummary() throws Exception {
        Path dir = SharedData.cdnow();
        Map<String, LocalDate> first = new HashMap<>();
        List<Row> tx = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(dir.resolve("CDNOW_sample.txt"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5) {
                continue;
            }
            String id = String.valueOf(Integer.parseInt(f[1]));
            LocalDate day = LocalDate.parse(f[2], DateTimeFormatter.BASIC_ISO_DATE);
            first.merge(id, day, (a, b) -> a.isBefore(b) ? a : b);
            tx.add(row("T" + (n++), id, day.atStartOfDay().toInstant(ZoneOffset.UTC), Double.parseDouble(f[4]), null, null));
        }
        List<Row> accounts = new ArrayList<>();
        first.forEach((id, open) -> accounts.add(row(id, id, open, null, "cd", null, null, null)));

        CvmConfig config = SparkTestSupport.config(tmp.resolve("wh"), tmp.resolve("in"), null);
        Warehouse wh = SparkTestSupport.warehouse(config);
        LocalDate run = LocalDate.parse("1998-06-30");
        LocalDate asOf = LocalDate.parse("1997-10-01");
        Map<DatasetSpec, List<Row>> rows = new HashMap<>();
        rows.put(InputContract.ACCOUNTS, accounts);
        rows.put(InputContract.TRANSACTIONS, tx);
        WarehouseFixtures.ingested(wh, run, rows);
        new FeaturesStage(wh, config.features(), config.valueMap(), SparkTestSupport.log()).run(run, List.of(asOf));

        Map<String, Row> features = new HashMap<>();
        for (Row r : wh.readRunDate(Table.ACCOUNT_FEATURES, run, "features")
                .select("account_id", "bgnbd_x", "bgnbd_t_x", "bgnbd_T", "bgnbd_m_x").collectAsList()) {
            features.put(r.getString(0), r);
        }
        List<String> expected = Files.readAllLines(dir.resolve("cdnow_customers_summary_with_transactions.csv"));
        assertEquals(2357, expected.size() - 1);
        assertEquals(2357, features.size());
        int sumX = 0;
        for (String line : expected.subList(1, expected.size())) {
            String[] f = line.split(",");
            Row r = features.get(f[0]);
            int x = r.getInt(1);
            sumX += x;
            assertEquals(Integer.parseInt(f[1]), x, "x of " + f[0]);
            assertEquals(Double.parseDouble(f[2]), round2(r.getDouble(2)), 1e-9, "t_x of " + f[0]);
            assertEquals(Double.parseDouble(f[3]), round2(r.getDouble(3)), 1e-9, "T of " + f[0]);
            double m = r.isNullAt(4) ? 0.0 : r.getDouble(4);
            // The file rounds to cents; allow for half-cent ties (18.975 in binary is just below or above).
            assertEquals(Double.parseDouble(f[4]), m, 0.005 + 1e-9, "m_x of " + f[0]);
        }
        assertEquals(2457, sumX);
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
