package dev.cvm.features;

import dev.cvm.config.CvmConfig;
import dev.cvm.contract.DatasetSpec;
import dev.cvm.contract.InputContract;
import dev.cvm.testing.SparkTestSupport;
import dev.cvm.testing.WarehouseFixtures;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.cvm.testing.Fixtures.d;
import static dev.cvm.testing.Fixtures.row;
import static dev.cvm.testing.Fixtures.ts;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-made accounts whose every feature is computed by hand, a copy of the same world with events planted after
 * the as-of date (which must change nothing), and labels for a matured and an unmatured as-of date.
 */
class FeaturesPointInTimeTest {
    static final LocalDate RUN = d("2025-06-30");
    static final LocalDate AS_OF = d("2025-04-01");      // matured: 2025-04-01 + 90 d = 2025-06-30 <= run date
    static final LocalDate RECENT = d("2025-05-01");     // not matured
    @TempDir
    static Path tmp;
    static Map<String, Row> plain;
    static Map<String, Row> planted;
    static Warehouse plainWarehouse;
    static FeatureSettings settings;

    static Map<DatasetSpec, List<Row>> world(boolean plantFuture) {
        Map<DatasetSpec, List<Row>> w = new HashMap<>();
        w.put(InputContract.ACCOUNTS, new ArrayList<>(List.of(
                // A1 active; closes after the as-of date (a churner for the 90-day label)
                row("A1", "C1", d("2024-01-15"), d("2025-05-10"), "plus", "north", "web", 30.0),
                // A2 never buys anything, never closes
                row("A2", "C2", d("2025-01-01"), null, "basic", null, null, null),
                // A3 opens after the as-of date: not in the snapshot
                row("A3", "C3", d("2025-04-02"), null, "basic", null, null, null),
                // A4 closed before the as-of date: kept as closed
                row("A4", "C4", d("2023-01-01"), d("2025-01-31"), "basic", null, null, null))));
        List<Row> tx = new ArrayList<>(List.of(
                row("T1", "A1", ts("2024-01-15T10:00:00Z"), 10.0, null, null),  // first purchase day
                row("T2", "A1", ts("2024-01-15T18:00:00Z"), 5.0, null, null),   // same day: merged
                row("T3", "A1", ts("2024-12-20T10:00:00Z"), 40.0, null, null),  // 102 days before as-of (prior 90)
                row("T4", "A1", ts("2025-03-10T10:00:00Z"), 20.0, null, null),  // 22 days before (30/90 windows)
                row("T5", "A1", ts("2025-03-31T23:59:59Z"), 30.0, null, null))); // last day before the as-of date
        List<Row> usage = new ArrayList<>(List.of(
                row("A1", d("2024-10-01"), 100.0, 20L), row("A1", d("2024-11-01"), 100.0, 20L),
                row("A1", d("2024-12-01"), 100.0, 20L),
                row("A1", d("2025-01-01"), 60.0, 10L), row("A1", d("2025-02-01"), 30.0, 5L),
                row("A1", d("2025-03-01"), 30.0, 6L)));
        List<Row> holdings = new ArrayList<>(List.of(
                row("A1", "mobile", d("2024-01-15"), null),
                row("A1", "tv", d("2024-06-01"), d("2024-12-31")),  // ended before the as-of date
                row("A1", "broadband", d("2025-05-01"), null),      // adopted after the as-of date
                row("A2", "mobile", d("2025-01-01"), null)));
        List<Row> support = new ArrayList<>(List.of(
                row("E1", "A1", ts("2025-03-01T09:00:00Z"), "complaint", null),
                row("E2", "A1", ts("2024-06-01T09:00:00Z"), "complaint", null),
                row("E3", "A1", ts("2025-02-15T09:00:00Z"), "billing", null)));
        List<Row> contacts = new ArrayList<>(List.of(
                row("K1", "A1", null, "upsell", "email", "tv", d("2025-03-20"), true, false),
                row("K2", "A1", null, "upsell", "email", "tv", d("2024-09-01"), false, false),
                row("K3", "A1", null, "retention", "phone", null, d("2025-01-05"), true, true)));
        List<Row> surveys = new ArrayList<>(List.of(
                row("R1", "A1", d("2025-02-01"), "rivalco", 7.0, 6.0, 8L),
                row("R0", "A1", d("2024-02-01"), "rivalco", 3.0, 6.0, 2L)));
        if (plantFuture) {
            tx.add(row("F1", "A1", ts("2025-04-01T00:00:00Z"), 999.0, null, null));
            tx.add(row("F2", "A2", ts("2025-05-01T00:00:00Z"), 999.0, null, null));
            usage.add(row("A1", d("2025-04-01"), 999.0, 31L));
            holdings.add(row("A2", "cloud", d("2025-04-01"), null));
            support.add(row("F3", "A1", ts("2025-04-01T00:00:01Z"), "complaint", null));
            contacts.add(row("F4", "A1", null, "upsell", "sms", null, d("2025-04-01"), true, true));
            surveys.add(row("F5", "A1", d("2025-04-01"), "rivalco", 1.0, 9.0, 0L));
        }
        w.put(InputContract.TRANSACTIONS, tx);
        w.put(InputContract.USAGE, usage);
        w.put(InputContract.HOLDINGS, holdings);
        w.put(InputContract.SUPPORT_EVENTS, support);
        w.put(InputContract.CAMPAIGN_CONTACTS, contacts);
        w.put(InputContract.SURVEYS, surveys);
        return w;
    }

    static Map<String, Row> build(String name, boolean plantFuture) {
        CvmConfig config = SparkTestSupport.config(tmp.resolve(name), tmp.resolve("unused"), null);
        Warehouse wh = SparkTestSupport.warehouse(config);
        WarehouseFixtures.ingested(wh, RUN, world(plantFuture));
        settings = config.features();
        new FeaturesStage(wh, settings, config.valueMap(), SparkTestSupport.log()).run(RUN, List.of(AS_OF, RECENT));
        if (!plantFuture) {
            plainWarehouse = wh;
        }
        Map<String, Row> byAccount = new HashMap<>();
        Dataset<Row> f = wh.readRunDate(Table.ACCOUNT_FEATURES, RUN, "features").where(col("as_of_date").equalTo(AS_OF));
        for (Row r : f.collectAsList()) {
            byAccount.put(r.getAs("account_id"), r);
        }
        return byAccount;
    }

    @BeforeAll
    static void setUp() {
        plain = build("plain", false);
        planted = build("planted", true);
    }

    @Test
    void snapshotMembership() {
        assertEquals(List.of("A1", "A2", "A4"), plain.keySet().stream().sorted().toList());
        assertEquals("active", plain.get("A1").getAs("account_status"));
        assertEquals("closed", plain.get("A4").getAs("account_status"));
        assertEquals(60, (int) plain.get("A4").<Integer>getAs("days_since_close"));
    }

    @Test
    void rfmAndBgNbdSummaryByHand() {
        Row a = plain.get("A1");
        assertEquals(2L, (long) a.<Long>getAs("txn_count_30d"));      // T4, T5
        assertEquals(50.0, a.<Double>getAs("txn_amount_30d"));
        assertEquals(2L, (long) a.<Long>getAs("txn_count_90d"));
        assertEquals(3L, (long) a.<Long>getAs("txn_count_365d"));     // T3, T4, T5
        assertEquals(90.0, a.<Double>getAs("txn_amount_365d"));
        assertEquals(5L, (long) a.<Long>getAs("txn_count_life"));
        assertEquals(105.0, a.<Double>getAs("txn_amount_life"));
        assertEquals(21.0, a.<Double>getAs("avg_order_value"));
        assertEquals(40.0, a.<Double>getAs("max_order_value"));
        assertEquals(1, (int) a.<Integer>getAs("recency_days"));      // last purchase 2025-03-31
        // spend last 90 d = 50, prior 90 d (2024-10-03 .. 2025-01-01) = 40 -> (50-40)/90
        assertEquals(10.0 / 90.0, a.<Double>getAs("spend_trend_90d"), 1e-12);
        assertEquals(2.0 / 4.0 - 0.0, a.<Double>getAs("txn_trend_90d") + 0.0, 1.0 / 3.0 + 1e-12);
        // Purchase days: 2024-01-15 (merged), 2024-12-20, 2025-03-10, 2025-03-31 -> x = 3
        assertEquals(3, (int) a.<Integer>getAs("bgnbd_x"));
        assertEquals(441.0 / 7.0, a.<Double>getAs("bgnbd_t_x"), 1e-12);   // 2024-01-15 -> 2025-03-31
        assertEquals(441.0 / 7.0, a.<Double>getAs("bgnbd_T"), 1e-12);     // to 2025-03-31, the day before as-of
        assertEquals(30.0, a.<Double>getAs("bgnbd_m_x"), 1e-12);           // (40 + 20 + 30) / 3
    }

    @Test
    void accountWithoutEventsHasZeroCountsAndNullLevels() {
        Row b = plain.get("A2");
        assertEquals(0L, (long) b.<Long>getAs("txn_count_life"));
        assertEquals(0.0, b.<Double>getAs("txn_amount_365d"));
        assertEquals(0.0, b.<Double>getAs("spend_trend_90d"));
        assertNull(b.getAs("recency_days"));
        assertNull(b.getAs("bgnbd_x"));
        assertNull(b.getAs("response_rate"));
        assertNull(b.getAs("survey_value_us"));
        assertEquals(0L, (long) b.<Long>getAs("contacts_life"));
        assertEquals(1L, (long) b.<Long>getAs("products_held"));
        assertEquals(false, b.getAs("holds_tv"));
        assertEquals(true, b.getAs("holds_mobile"));
    }

    @Test
    void usageHoldingsSupportCampaignSurveyByHand() {
        Row a = plain.get("A1");
        assertEquals(40.0, a.<Double>getAs("usage_avg_3m"), 1e-12);         // Jan-Mar: 60, 30, 30
        assertEquals(100.0, a.<Double>getAs("usage_avg_prior_3m"), 1e-12);   // Oct-Dec
        assertEquals((40.0 - 100.0) / 140.0, a.<Double>getAs("usage_trend_3m"), 1e-12);
        assertEquals(70.0, a.<Double>getAs("usage_avg_12m"), 1e-12);
        assertEquals(7.0, a.<Double>getAs("active_days_avg_3m"), 1e-12);
        assertEquals(1L, (long) a.<Long>getAs("products_held"));            // mobile; tv ended, broadband later
        assertEquals(false, a.getAs("holds_tv"));
        assertEquals(false, a.getAs("holds_broadband"));
        assertEquals(10, (int) a.<Integer>getAs("months_since_new_product"));  // tv started 2024-06-01
        assertEquals(1L, (long) a.<Long>getAs("complaints_90d"));
        assertEquals(2L, (long) a.<Long>getAs("complaints_365d"));
        assertEquals(2L, (long) a.<Long>getAs("support_contacts_90d"));
        assertEquals(31, (int) a.<Integer>getAs("days_since_complaint"));
        assertEquals(3L, (long) a.<Long>getAs("contacts_life"));
        assertEquals(1L, (long) a.<Long>getAs("contacts_30d"));
        assertEquals(2.0 / 3.0, a.<Double>getAs("response_rate"), 1e-12);
        assertEquals(1.0 / 3.0, a.<Double>getAs("conversion_rate"), 1e-12);
        assertEquals(0.5, a.<Double>getAs("response_rate_email"), 1e-12);
        assertEquals(1.0, a.<Double>getAs("response_rate_phone"), 1e-12);
        assertNull(a.getAs("response_rate_sms"));
        assertEquals(12, (int) a.<Integer>getAs("days_since_contact"));
        assertEquals(7.0, a.<Double>getAs("survey_value_us"));               // latest: R1
        assertEquals(1.0, a.<Double>getAs("survey_value_gap"));
        assertEquals(8L, (long) a.<Long>getAs("survey_nps"));
        assertEquals(tenure("2024-01-15"), (int) a.<Integer>getAs("tenure_days"));
    }

    private static int tenure(String open) {
        return (int) java.time.temporal.ChronoUnit.DAYS.between(d(open), AS_OF);
    }

    @Test
    void eventsAfterTheAsOfDateChangeNothing() {
        assertEquals(plain.keySet(), planted.keySet());
        for (String id : plain.keySet()) {
            assertEquals(plain.get(id), planted.get(id), "features of " + id + " must not see the future");
        }
    }

    @Test
    void labelsOnlyForMaturedAsOfDates() {
        Dataset<Row> labels = plainWarehouse.readRunDate(Table.ACCOUNT_LABELS, RUN, "features");
        assertEquals(List.of(AS_OF), labels.select("as_of_date").distinct().as(org.apache.spark.sql.Encoders.DATE())
                .collectAsList().stream().map(java.sql.Date::toLocalDate).toList());
        Map<String, Row> byId = new HashMap<>();
        labels.collectAsList().forEach(r -> byId.put(r.getAs("account_id"), r));
        assertEquals(List.of("A1", "A2"), byId.keySet().stream().sorted().toList(), "active accounts only");
        assertEquals(1, (int) byId.get("A1").<Integer>getAs("churned"));     // closed 2025-05-10
        assertEquals(0, (int) byId.get("A2").<Integer>getAs("churned"));
        assertEquals(1, (int) byId.get("A1").<Integer>getAs("adopted_broadband"));
        assertEquals(0, (int) byId.get("A1").<Integer>getAs("adopted_tv"));   // tv ended: not held, not re-adopted
        assertEquals(0, (int) byId.get("A2").<Integer>getAs("adopted_broadband"));
        assertEquals(90, (int) byId.get("A1").<Integer>getAs("horizon_days"));
        // The unmatured as-of date has features but no labels.
        assertTrue(plainWarehouse.readRunDate(Table.ACCOUNT_FEATURES, RUN, "features")
                .where(col("as_of_date").equalTo(RECENT)).count() > 0);
    }

    @Test
    void everyColumnIsInTheCatalog() {
        List<String> cols = new ArrayList<>(List.of(plainWarehouse.read(Table.ACCOUNT_FEATURES).columns()));
        cols.removeAll(List.of("account_id", "as_of_date", "run_date"));
        assertEquals(FeatureCatalog.entries(settings).stream().map(FeatureCatalog.Entry::name).toList(), cols);
    }
}
