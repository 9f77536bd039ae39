package dev.cvm.reliability;

import dev.cvm.CvmException;
import dev.cvm.testing.SparkTestSupport;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two writers of one table and run date without the run lock: the one whose commit comes second loses Delta's
 * optimistic concurrency check, and that surfaces as one clear CvmException, with the winner's rows intact.
 */
class ConcurrentWriteTest {
    static final LocalDate RUN = LocalDate.parse("2026-03-01");
    // Local mode runs tasks in this JVM, so a task can wait for the test.
    static final CountDownLatch WRITING = new CountDownLatch(1);
    static final CountDownLatch RESUME = new CountDownLatch(1);
    @TempDir
    static Path tmp;

    /** Holds the write task until the test has committed the competing write. */
    static final class Stall implements MapPartitionsFunction<Row, Row> {
        @Override
        public Iterator<Row> call(Iterator<Row> rows) throws InterruptedException {
            WRITING.countDown();
            if (!RESUME.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the test never released the stalled write");
            }
            return rows;
        }
    }

    static Dataset<Row> rows(String who) {
        return SparkTestSupport.spark().sql("SELECT id, '" + who + "' AS writer FROM range(3)").coalesce(1);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theLaterCommitFailsWithAMessageNamingTableDateAndReRun() throws Exception {
        Warehouse warehouse = new Warehouse(SparkTestSupport.spark(), tmp.resolve("wh").toString());
        warehouse.replaceRunDate(Table.SEGMENT_SUMMARY, rows("yesterday"), RUN);
        Dataset<Row> slow = rows("slow").mapPartitions(new Stall(), Encoders.row(rows("slow").schema()));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Long> loser = pool.submit(() -> warehouse.replaceRunDate(Table.SEGMENT_SUMMARY, slow, RUN));
            assertTrue(WRITING.await(2, TimeUnit.MINUTES), "the slow write never started");
            warehouse.replaceRunDate(Table.SEGMENT_SUMMARY, rows("fast"), RUN);
            RESUME.countDown();
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> loser.get(2, TimeUnit.MINUTES));
            CvmException ce = assertInstanceOf(CvmException.class, e.getCause());
            assertEquals(1, ce.exitCode());
            for (String part : List.of("table segment_summary", "run date 2026-03-01", "another writer",
                    "re-run the failed command")) {
                assertTrue(ce.getMessage().contains(part), ce.getMessage());
            }
        } finally {
            RESUME.countDown();
            pool.shutdownNow();
        }
        List<Row> now = warehouse.readRunDate(Table.SEGMENT_SUMMARY, RUN, "segment").select("writer").distinct()
                .collectAsList();
        assertEquals(List.of("fast"), now.stream().map(r -> r.getString(0)).toList());
    }
}
