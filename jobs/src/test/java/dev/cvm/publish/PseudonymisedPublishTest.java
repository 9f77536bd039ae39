package dev.cvm.publish;

import dev.cvm.CvmException;
import dev.cvm.testing.SparkTestSupport;
import dev.cvm.testing.SyntheticOutputs;
import dev.cvm.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PostgreSQL mirror with pseudonymisation on, against a real server: no real identifier reaches it, the
 * pseudonym is the keyed hash of the id, and the same account has the same pseudonym in the next run.
 */
class PseudonymisedPublishTest {
    static final String SCHEMA = "cvm_pid_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    static final String KEY_ENV = "CVM_TEST_PSEUDONYM_KEY";

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

    static Connection writer() {
        return TestPostgres.server().target().connect(TestPostgres.settings());
    }

    static PostgresPublisher publisher(List<String> columns) {
        SyntheticOutputs.Shared out = SyntheticOutputs.shared();
        Pseudonymiser ids = Pseudonymiser.from(PseudonymSettings.on(KEY_ENV, columns),
                Map.of(KEY_ENV, PseudonymiserTest.KEY));
        return new PostgresPublisher(out.warehouse(), TestPostgres.settings().withSchema(SCHEMA),
                TestPostgres.server().target(), out.config().features(), SparkTestSupport.log(), ids);
    }

    @Test
    void theMirrorCarriesKeyedPseudonymsStableAcrossRunsAndNoRealIds() throws Exception {
        List<String> ids = List.of("account_id", "customer_id");
        assertTrue(publisher(ids).publish(SyntheticOutputs.FIRST, false).published());
        try (Connection c = writer()) {
            assertEquals(List.of("campaign_targets.account_pid", "customer_scores.account_pid",
                            "customer_scores.customer_pid"),
                    PostgresPublishTest.strings(c, "SELECT table_name || '.' || column_name FROM "
                            + "information_schema.columns WHERE table_schema = '" + SCHEMA + "' AND column_name ~ "
                            + "'(account|customer)_p?id' ORDER BY 1"));
            // No served row holds anything shaped like a real id (A00042, C00021), in any column.
            for (String t : List.of("customer_scores", "campaign_targets", "segment_summary")) {
                assertEquals(List.of("0"), PostgresPublishTest.strings(c, "SELECT count(*) FROM " + SCHEMA + "." + t
                        + " r WHERE row_to_json(r)::text ~ '[AC][0-9]{5}'"), t);
            }
            assertEquals(List.of("customer_scores_pkey PRIMARY KEY (account_pid)"), PostgresPublishTest.strings(c,
                    "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = '"
                            + SCHEMA + ".customer_scores'::regclass"));
            String pid = PseudonymiserTest.reference(PseudonymiserTest.KEY, "A00042");
            List<String> first = PostgresPublishTest.strings(c, "SELECT account_pid FROM " + SCHEMA
                    + ".customer_scores WHERE account_pid = '" + pid + "'");
            assertEquals(List.of(pid), first, "A00042's pseudonym is HMAC-SHA256(key, id)");
            assertEquals(List.of("true"), PostgresPublishTest.strings(c, "SELECT pseudonymised::text FROM " + SCHEMA
                    + ".publish_log ORDER BY publish_id DESC LIMIT 1"));
            String comment = PostgresPublishTest.strings(c, "SELECT col_description('" + SCHEMA
                    + ".customer_scores'::regclass, (SELECT attnum FROM pg_attribute WHERE attrelid = '" + SCHEMA
                    + ".customer_scores'::regclass AND attname = 'account_pid'))").get(0);
            assertTrue(comment.contains("HMAC-SHA256") && comment.contains(KEY_ENV), comment);
        }
        // The next run: the same account keeps its pseudonym, so exports join over time.
        assertTrue(publisher(ids).publish(SyntheticOutputs.SECOND, false).published());
        try (Connection c = writer()) {
            assertEquals(List.of(SyntheticOutputs.SECOND + " 1"), PostgresPublishTest.strings(c, "SELECT "
                    + "max(run_date) || ' ' || count(*) FROM " + SCHEMA + ".customer_scores WHERE account_pid = '"
                    + PseudonymiserTest.reference(PseudonymiserTest.KEY, "A00042") + "'"));
        }
    }

    @Test
    void aMistypedIdentifierColumnStopsThePublishInsteadOfLeavingIdsInTheClear() {
        CvmException e = assertThrows(CvmException.class, () -> publisher(List.of("acount_id"))
                .publish(SyntheticOutputs.FIRST, true));
        assertTrue(e.getMessage().contains("names acount_id, which no served table has"), e.getMessage());
    }
}
