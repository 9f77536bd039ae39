package dev.cvm.publish;

import dev.cvm.CvmException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `cvm sql` only reads, and prints a readable table. */
class SqlQueryTest {
    @Test
    void readsAreAllowed() {
        for (String sql : List.of("SELECT * FROM customer_scores", "  select 'drop table x' as s", "(SELECT 1)",
                "-- DROP\nSELECT 1", "/* delete */ WITH a AS (SELECT 1) SELECT * FROM a", "SHOW TABLES IN cvm",
                "DESCRIBE customer_scores", "SELECT `update` FROM t;", "VALUES (1, 2)",
                "SELECT date_add(run_date, 1) FROM t")) {
            assertDoesNotThrow(() -> SqlQuery.checkReadOnly(sql), sql);
        }
    }

    @Test
    void writesAreRejectedAsUsageErrors() {
        for (String sql : List.of("DROP TABLE cvm.customer_scores", "insert into t values (1)",
                "WITH a AS (SELECT 1) INSERT INTO t SELECT * FROM a", "SELECT 1; DROP TABLE t", "",
                "EXPLAIN INSERT INTO t SELECT 1", "CREATE TABLE t AS SELECT 1", "SET spark.sql.x = 1")) {
            CvmException e = assertThrows(CvmException.class, () -> SqlQuery.checkReadOnly(sql), sql);
            assertEquals(2, e.exitCode(), sql);
        }
    }

    @Test
    void rendersATableWithNullsTruncationAndTheRowLimit() {
        SqlQuery.Result r = new SqlQuery.Result(List.of("segment", "accounts"), List.of(false, true),
                List.of(Arrays.asList("platinum", "12"), Arrays.asList("a rather long segment name", null)), true);
        String out = SqlQuery.render(r, 12, false);
        assertEquals("""
                +--------------+----------+
                | segment      | accounts |
                +--------------+----------+
                | platinum     |       12 |
                | a rather ... |     NULL |
                +--------------+----------+
                first 2 rows shown (--limit N for more)
                """, out);
        String vertical = SqlQuery.render(r, 0, true);
        assertTrue(vertical.contains("segment  | a rather long segment name"), vertical);
        assertTrue(vertical.contains("-[ row 2 ]"), vertical);
    }
}
