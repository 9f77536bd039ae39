package dev.cvm.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cvm.CvmException;
import dev.cvm.config.CvmConfig;
import dev.cvm.testing.SparkTestSupport;
import dev.cvm.testing.SyntheticOutputs;
import dev.cvm.testing.TestPostgres;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * cvm publish, PostgreSQL part, against a real server: two run dates published one after the other, a reader
 * querying all the time during the second swap, a failed publish, a backfill of an older date.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresPublishTest {
    static final LocalDate D1 = SyntheticOutputs.FIRST;
    static final LocalDate D2 = SyntheticOutputs.SECOND;
    static final LocalDate D3 = D2.plusDays(1);
    static final String SCHEMA = "cvm_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    static TestPostgres.Server pg;
    static CvmConfig config;
    static Warehouse warehouse;
    static PostgresSettings settings;
    static Map<LocalDate, State> expected;

    /** What a reader sees: rows and run dates of the three tables, and the run date publish_log says is served. */
    record State(long scores, LocalDate scoresMin, LocalDate scoresMax, long targets, LocalDate targetsMin,
                 LocalDate targetsMax, long summary, LocalDate summaryMin, LocalDate summaryMax, LocalDate logged) {
        static State of(Warehouse w, LocalDate d) {
            return new State(count(w, Table.CUSTOMER_SCORES, d), d, d, count(w, Table.CAMPAIGN_TARGETS, d), d, d,
                    count(w, Table.SEGMENT_SUMMARY, d), d, d, d);
        }

        private static long count(Warehouse w, Table t, LocalDate d) {
            return w.read(t).where(col(Table.RUN_DATE).equalTo(lit(d))).count();
        }
    }

    static final String STATE_SQL = "SELECT "
            + "(SELECT count(*) FROM S.customer_scores), (SELECT min(run_date) FROM S.customer_scores), "
            + "(SELECT max(run_date) FROM S.customer_scores), "
            + "(SELECT count(*) FROM S.campaign_targets), (SELECT min(run_date) FROM S.campaign_targets), "
            + "(SELECT max(run_date) FROM S.campaign_targets), "
            + "(SELECT count(*) FROM S.segment_summary), (SELECT min(run_date) FROM S.segment_summary), "
            + "(SELECT max(run_date) FROM S.segment_summary), "
            + "(SELECT run_date FROM S.publish_log ORDER BY publish_id DESC LIMIT 1)";

    static State read(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new State(rs.getLong(1), rs.getObject(2, LocalDate.class), rs.getObject(3, LocalDate.class),
                    rs.getLong(4), rs.getObject(5, LocalDate.class), rs.getObject(6, LocalDate.class),
                    rs.getLong(7), rs.getObject(8, LocalDate.class), rs.getObject(9, LocalDate.class),
                    rs.getObject(10, LocalDate.class));
        }
    }

    @BeforeAll
    static void setUp() {
        if (!TestPostgres.configured()) {
            return; // every test is then skipped, by name, in needsPostgres
        }
        pg = TestPostgres.server();
        config = SyntheticOutputs.shared().config();
        warehouse = SyntheticOutputs.shared().warehouse();
        expected = Map.of(D1, State.of(warehouse, D1), D2, State.of(warehouse, D2));
        settings = TestPostgres.settings().withSchema(SCHEMA)
                .withReaders(pg.readerUser() == null ? List.of() : List.of(pg.readerUser()));
    }

    @BeforeEach
    void needsPostgres() {
        TestPostgres.server(); // skips this test without CVM_PG_* (fails under CI)
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        if (pg != null) {
            try (Connection c = writer(); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }

    static Connection writer() {
        return pg.target().connect(settings == null ? TestPostgres.settings() : settings);
    }

    /** The least-privilege reader when the server has one, else the writer. */
    static Connection reader() throws SQLException {
        if (pg.readerUser() == null) {
            return writer();
        }
        Properties p = new Properties();
        p.put("user", pg.readerUser());
        p.put("password", pg.readerPassword());
        return DriverManager.getConnection(pg.target().url(), p);
    }

    static PostgresPublisher publisher() {
        return new PostgresPublisher(warehouse, settings, pg.target(), config.features(), SparkTestSupport.log());
    }

    static State served() throws SQLException {
        try (Connection c = reader(); PreparedStatement ps = c.prepareStatement(STATE_SQL.replace("S.", SCHEMA + "."))) {
            return read(ps);
        }
    }

    static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    @Order(1)
    void publishesARunWithKeysIndexesCommentsAndALogRow() throws Exception {
        PostgresPublisher.Outcome o = publisher().publish(D1, false);
        assertTrue(o.published(), o.message());
        assertEquals(expected.get(D1), served());
        assertEquals(expected.get(D1).scores(), o.rows().get("customer_scores"));
        try (Connection c = writer()) {
            assertEquals(List.of("campaign_targets_pkey PRIMARY KEY (program, account_id)",
                            "customer_scores_pkey PRIMARY KEY (account_id)",
                            "publish_log_pkey PRIMARY KEY (publish_id)",
                            "segment_summary_pkey PRIMARY KEY (scheme, segment)"),
                    strings(c, "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
                            + "WHERE connamespace = '" + SCHEMA + "'::regnamespace ORDER BY 1"));
            List<String> indexes = strings(c, "SELECT indexname FROM pg_indexes WHERE schemaname = '" + SCHEMA
                    + "' ORDER BY 1");
            assertTrue(indexes.containsAll(List.of("customer_scores_customer_id_idx",
                    "customer_scores_program_targeted_idx", "campaign_targets_program_rank_idx")), indexes.toString());
            assertTrue(indexes.stream().noneMatch(i -> i.contains("staging")), indexes.toString());
            assertEquals(List.of("campaign_targets", "customer_scores", "publish_log", "segment_summary"),
                    strings(c, "SELECT tablename FROM pg_tables WHERE schemaname = '" + SCHEMA + "' ORDER BY 1"));
            assertEquals(List.of("text", "timestamp with time zone", "date", "double precision", "boolean"),
                    strings(c, "SELECT data_type FROM information_schema.columns WHERE table_schema = '" + SCHEMA
                            + "' AND table_name = 'customer_scores' AND column_name IN ('recent_channels', 'scored_at',"
                            + " 'run_date', 'clv', 'targeted') ORDER BY array_position(array['recent_channels', "
                            + "'scored_at', 'run_date', 'clv', 'targeted']::text[], column_name::text)"));
            String comment = strings(c, "SELECT col_description('" + SCHEMA + ".customer_scores'::regclass, "
                    + "(SELECT attnum FROM pg_attribute WHERE attrelid = '" + SCHEMA + ".customer_scores'::regclass "
                    + "AND attname = 'value_tier'))").get(0);
            assertTrue(comment.startsWith("Value tier by CLV rank"), comment);
            assertTrue(strings(c, "SELECT obj_description('" + SCHEMA + ".campaign_targets'::regclass)").get(0)
                    .contains("Key: program, account_id"));
        }
        try (Connection c = reader()) {
            // Complex values arrive as JSON text, timestamps as the same instant.
            List<String> json = strings(c, "SELECT recent_channels FROM " + SCHEMA + ".customer_scores "
                    + "WHERE account_id = 'A00005'");
            JsonNode node = new ObjectMapper().readTree(json.get(0));
            assertTrue(node.isArray() && node.size() == 3 && node.get(0).asText().equals("email"), json.get(0));
            assertEquals(List.of("2026-01-01T06:30:00Z"), strings(c, "SELECT to_char(scored_at AT TIME ZONE 'UTC', "
                    + "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM " + SCHEMA + ".customer_scores WHERE account_id = 'A00001'"));
        }
    }

    @Test
    @Order(2)
    void readersSeeOneCompleteRunBeforeTheSwapAndTheOtherAfterNeverAMixOrAnError() throws Exception {
        List<long[]> timings = Collections.synchronizedList(new ArrayList<>());
        List<State> seen = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong holdStart = new AtomicLong();
        AtomicLong holdEnd = new AtomicLong();
        Thread readerThread = new Thread(() -> {
            try (Connection c = reader();
                 PreparedStatement ps = c.prepareStatement(STATE_SQL.replace("S.", SCHEMA + "."))) {
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    State s = read(ps);
                    timings.add(new long[] {t0, System.nanoTime()});
                    seen.add(s);
                    Thread.sleep(3);
                }
            } catch (Throwable t) {
                errors.add(t);
            }
        }, "pg-reader");
        readerThread.start();
        PostgresPublisher p = publisher();
        // Hold the swap transaction open (locks taken, tables renamed, not committed) while the reader keeps going.
        p.beforeCommit = c -> {
            holdStart.set(System.nanoTime());
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            holdEnd.set(System.nanoTime());
        };
        PostgresPublisher.Outcome o;
        try {
            while (seen.size() < 3 && errors.isEmpty()) {
                Thread.sleep(10);
            }
            o = p.publish(D2, false);
            long after = seen.size();
            while (seen.size() < after + 3 && errors.isEmpty()) {
                Thread.sleep(10);
            }
        } finally {
            stop.set(true);
            readerThread.join(60_000);
        }
        assertTrue(errors.isEmpty(), "the reader failed: " + errors);
        assertTrue(o.published(), o.message());
        List<State> states = List.copyOf(seen);
        for (State s : states) {
            assertTrue(s.equals(expected.get(D1)) || s.equals(expected.get(D2)), "a reader saw " + s);
        }
        int firstNew = states.indexOf(expected.get(D2));
        assertTrue(firstNew > 0, "the reader saw the old run, then the new one: " + states.size() + " reads");
        assertEquals(Set.of(expected.get(D2)), new HashSet<>(states.subList(firstNew, states.size())),
                "once the new run is served, it stays");
        // A read still running while the swap was held open must have started after the swap took its locks (one
        // that held them first would have made the swap wait): it waited for the commit and then saw the new run.
        int during = 0;
        for (int i = 0; i < states.size(); i++) {
            long[] t = timings.get(i);
            if (t[0] <= holdEnd.get() && t[1] >= holdStart.get()) {
                during++;
                assertTrue(t[1] >= holdEnd.get(), "a read during the swap did not wait for its commit");
                assertEquals(expected.get(D2), states.get(i), "a read that waited for the swap");
            }
        }
        assertTrue(during >= 1, "no read ran while the swap was open");
        assertEquals(expected.get(D2), served());
    }

    @Test
    @Order(3)
    void aFailedPublishLeavesTheServedRunAlone() {
        // D3's customer_scores has an account twice: the primary key on staging refuses it, before any swap.
        warehouse.replaceRunDate(Table.CUSTOMER_SCORES, warehouse.readRunDate(Table.CUSTOMER_SCORES, D2, "segment")
                .unionByName(warehouse.readRunDate(Table.CUSTOMER_SCORES, D2, "segment").limit(1)), D3);
        CvmException e = assertThrows(CvmException.class, () -> publisher().publish(D3, false));
        assertTrue(e.getMessage().contains("duplicate keys (account_id)") && e.getMessage().contains("unchanged"),
                e.getMessage());
        try {
            assertEquals(expected.get(D2), served());
        } catch (SQLException ex) {
            throw new AssertionError(ex);
        }
    }

    @Test
    @Order(4)
    void anOlderRunDateIsNotServedUnlessForced() throws Exception {
        PostgresPublisher.Outcome skipped = publisher().publish(D1, false);
        assertFalse(skipped.published());
        assertTrue(skipped.message().contains("serves run date " + D2), skipped.message());
        assertEquals(expected.get(D2), served());
        assertTrue(publisher().publish(D1, true).published());
        assertEquals(expected.get(D1), served());
        try (Connection c = writer()) {
            assertEquals(List.of(D1 + " 300", D2 + " 450", D1 + " 300"), strings(c, "SELECT run_date || ' ' || "
                    + "customer_scores_rows FROM " + SCHEMA + ".publish_log ORDER BY publish_id"));
        }
    }

    @Test
    @Order(5)
    void aViewOnAServedTableStopsTheSwapInsteadOfBeingLeftOnTheOldRun() throws Exception {
        try (Connection c = writer(); Statement st = c.createStatement()) {
            st.execute("CREATE VIEW " + SCHEMA + ".targets_by_program AS SELECT program, count(*) AS n FROM "
                    + SCHEMA + ".campaign_targets GROUP BY program");
        }
        CvmException e = assertThrows(CvmException.class, () -> publisher().publish(D2, false));
        assertTrue(e.getMessage().contains("depends on a served table"), e.getMessage());
        assertEquals(expected.get(D1), served());
        try (Connection c = writer(); Statement st = c.createStatement()) {
            st.execute("DROP VIEW " + SCHEMA + ".targets_by_program");
        }
        assertTrue(publisher().publish(D2, false).published());
        assertEquals(expected.get(D2), served());
    }
}
