package dev.cvm.publish;

import dev.cvm.testing.SparkTestSupport;
import dev.cvm.testing.SyntheticOutputs;
import dev.cvm.testing.TestPostgres;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The serving database under load: 16 JDBC clients (loopback, the least-privilege reader role when the server has
 * one) run 50 queries each while cvm publish swaps in a new run and then an older one (forced). Every answer must
 * be one complete run, consistent with its publish_log row. Latches tie the clients to the swaps so the test is
 * deterministic: queries 11-30 start after the first swap has taken its locks (so they wait for it and must see the
 * new run), queries 31-50 after the second.
 */
class PostgresReadersDuringSwapTest {
    static final LocalDate D1 = SyntheticOutputs.FIRST;
    static final LocalDate D2 = SyntheticOutputs.SECOND;
    static final int CLIENTS = 16;
    static final int QUERIES = 50;
    static final String SCHEMA = "cvm_load_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    /** One answer: rows and run dates of the three tables, and the latest publish_log row. */
    record Answer(long scores, LocalDate scoresMin, LocalDate scoresMax, long targets, LocalDate targetsMax,
                  long summary, LocalDate summaryMax, LocalDate logged, long loggedScores, long loggedTargets,
                  long loggedSummary) {
        static Answer of(Warehouse w, LocalDate d) {
            long s = count(w, Table.CUSTOMER_SCORES, d);
            long t = count(w, Table.CAMPAIGN_TARGETS, d);
            long m = count(w, Table.SEGMENT_SUMMARY, d);
            return new Answer(s, d, d, t, d, m, d, d, s, t, m);
        }

        private static long count(Warehouse w, Table t, LocalDate d) {
            return w.read(t).where(col(Table.RUN_DATE).equalTo(lit(d))).count();
        }
    }

    static final String QUERY = ("SELECT (SELECT count(*) FROM S.customer_scores), "
            + "(SELECT min(run_date) FROM S.customer_scores), (SELECT max(run_date) FROM S.customer_scores), "
            + "(SELECT count(*) FROM S.campaign_targets), (SELECT max(run_date) FROM S.campaign_targets), "
            + "(SELECT count(*) FROM S.segment_summary), (SELECT max(run_date) FROM S.segment_summary), "
            + "l.run_date, l.customer_scores_rows, l.campaign_targets_rows, l.segment_summary_rows "
            + "FROM (SELECT * FROM S.publish_log ORDER BY publish_id DESC LIMIT 1) l").replace("S.", SCHEMA + ".");

    @BeforeEach
    void needsPostgres() {
        TestPostgres.server(); // skips without CVM_PG_* (fails under CI)
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        if (TestPostgres.configured()) {
            try (Connection c = TestPostgres.server().target().connect(TestPostgres.settings());
                 Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }

    static Connection client(TestPostgres.Server pg) throws SQLException {
        if (pg.readerUser() == null) {
            return pg.target().connect(TestPostgres.settings());
        }
        Properties p = new Properties();
        p.put("user", pg.readerUser());
        p.put("password", pg.readerPassword());
        p.put("ApplicationName", "cvm load test");
        return DriverManager.getConnection(pg.target().url(), p);
    }

    static Answer ask(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Answer(rs.getLong(1), rs.getObject(2, LocalDate.class), rs.getObject(3, LocalDate.class),
                    rs.getLong(4), rs.getObject(5, LocalDate.class), rs.getLong(6), rs.getObject(7, LocalDate.class),
                    rs.getObject(8, LocalDate.class), rs.getLong(9), rs.getLong(10), rs.getLong(11));
        }
    }

    @Test
    void sixteenClientsSeeOneCompleteRunPerQueryThroughTwoSwaps() throws Exception {
        TestPostgres.Server pg = TestPostgres.server();
        SyntheticOutputs.Shared out = SyntheticOutputs.shared();
        Answer old = Answer.of(out.warehouse(), D1);
        Answer fresh = Answer.of(out.warehouse(), D2);
        PostgresSettings settings = TestPostgres.settings().withSchema(SCHEMA)
                .withReaders(pg.readerUser() == null ? List.of() : List.of(pg.readerUser()));
        CountDownLatch[] swapLocked = {new CountDownLatch(1), new CountDownLatch(1)};
        CountDownLatch passedFirstSwap = new CountDownLatch(CLIENTS);
        int[] swaps = {0};
        PostgresPublisher publisher = new PostgresPublisher(out.warehouse(), settings, pg.target(),
                out.config().features(), SparkTestSupport.log());
        assertTrue(publisher.publish(D1, false).published());
        // Inside each swap transaction, with the live tables locked: let the clients in, hold the locks a moment.
        publisher.beforeCommit = c -> {
            swapLocked[swaps[0]++].countDown();
            sleep(400);
        };

        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<List<Answer>>> clients = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(pool.submit(() -> {
                    List<Answer> answers = new ArrayList<>();
                    try (Connection c = client(pg); PreparedStatement ps = c.prepareStatement(QUERY)) {
                        for (int q = 1; q <= QUERIES; q++) {
                            if (q == 11) {
                                await(swapLocked[0], "the first swap");
                            } else if (q == 31) {
                                passedFirstSwap.countDown();
                                await(swapLocked[1], "the second swap");
                            }
                            answers.add(ask(ps));
                        }
                    }
                    return answers;
                }));
            }
            assertTrue(publisher.publish(D2, false).published());
            await(passedFirstSwap, "all clients past query 30");
            assertTrue(publisher.publish(D1, true).published());
            for (int i = 0; i < CLIENTS; i++) {
                List<Answer> a = clients.get(i).get(90, TimeUnit.SECONDS);
                assertEquals(QUERIES, a.size());
                for (int q = 0; q < QUERIES; q++) {
                    Answer got = a.get(q);
                    String where = "client " + i + ", query " + (q + 1) + ": " + got;
                    assertTrue(got.equals(old) || got.equals(fresh), "not one complete run: " + where);
                    if (q >= 10 && q < 30) {
                        assertEquals(fresh, got, "after the first swap took its locks: " + where);
                    } else if (q >= 30) {
                        assertEquals(old, got, "after the second swap took its locks: " + where);
                    } else if (q > 0 && a.get(q - 1).equals(fresh)) {
                        assertEquals(fresh, got, "back to the old run before the second swap: " + where);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertTrue(seconds < 120, "the load took " + seconds + " s");
    }

    private static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(90, TimeUnit.SECONDS)) {
                fail("waited 90 s for " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
