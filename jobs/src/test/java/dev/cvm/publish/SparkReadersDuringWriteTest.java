package dev.cvm.publish;

import dev.cvm.testing.SparkTestSupport;
import dev.cvm.testing.SyntheticOutputs;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Readers of the Delta output tables under load: threads of the shared session query customer_scores over and over
 * while a new run date is written and then an existing one is re-written. Each answer must be one committed state of
 * the table (every date complete, each account once), and a reader never goes back to an older state.
 */
class SparkReadersDuringWriteTest {
    static final LocalDate D1 = SyntheticOutputs.FIRST;
    static final LocalDate D2 = SyntheticOutputs.SECOND;
    static final int READERS = 3;

    /** Rows per run date; for a whole answer, also distinct accounts per run date (a mix would repeat some). */
    static Map<LocalDate, Long> read(Warehouse w) {
        Map<LocalDate, Long> state = new TreeMap<>();
        for (Row r : w.read(Table.CUSTOMER_SCORES).groupBy(Table.RUN_DATE)
                .agg(count(lit(1)), countDistinct("account_id")).collectAsList()) {
            if (r.getLong(1) != r.getLong(2)) {
                throw new AssertionError("run date " + r.get(0) + " has " + r.getLong(1) + " rows but "
                        + r.getLong(2) + " accounts: a mix of two writes");
            }
            state.put(r.getLocalDate(0), r.getLong(1));
        }
        return state;
    }

    @Test
    void everyAnswerIsTheOldOrTheNewCompleteStateNeverAMix(@TempDir Path tmp) throws Exception {
        Warehouse source = SyntheticOutputs.shared().warehouse();
        Warehouse w = new Warehouse(SparkTestSupport.spark(), tmp.resolve("wh").toString());
        w.replaceRunDate(Table.CUSTOMER_SCORES, source.readRunDate(Table.CUSTOMER_SCORES, D1, "segment"), D1);
        List<Map<LocalDate, Long>> states = List.of(Map.of(D1, 300L), Map.of(D1, 300L, D2, 450L),
                Map.of(D1, 450L, D2, 450L));
        List<List<Integer>> seen = new ArrayList<>();
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            List<Integer> mine = Collections.synchronizedList(new ArrayList<>());
            seen.add(mine);
            Thread t = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        Map<LocalDate, Long> s = read(w);
                        int idx = states.indexOf(s);
                        if (idx < 0) {
                            throw new AssertionError("a reader saw " + s + ", not one of the committed states "
                                    + states);
                        }
                        mine.add(idx);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "delta-reader-" + i);
            readers.add(t);
            t.start();
        }
        try {
            awaitSeen(seen, errors, 0);
            // A new run date, then a re-run of the old one (one replaceWhere transaction each).
            w.replaceRunDate(Table.CUSTOMER_SCORES, source.readRunDate(Table.CUSTOMER_SCORES, D2, "segment"), D2);
            awaitSeen(seen, errors, 1);
            w.replaceRunDate(Table.CUSTOMER_SCORES, source.readRunDate(Table.CUSTOMER_SCORES, D2, "segment"), D1);
            awaitSeen(seen, errors, 2);
        } finally {
            stop.set(true);
            for (Thread t : readers) {
                t.join(60_000);
            }
        }
        assertTrue(errors.isEmpty(), "readers failed: " + errors);
        for (List<Integer> mine : seen) {
            List<Integer> s = List.copyOf(mine);
            for (int i = 1; i < s.size(); i++) {
                assertTrue(s.get(i) >= s.get(i - 1), "a reader went back to an older state: " + s);
            }
        }
        assertEquals(states.get(2), read(w));
    }

    /** Waits (bounded) until some reader has answered with state {@code idx} at least twice. */
    private static void awaitSeen(List<List<Integer>> seen, List<Throwable> errors, int idx) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        Predicate<List<Integer>> twice = l -> {
            synchronized (l) {
                return l.stream().filter(i -> i == idx).count() >= 2;
            }
        };
        while (seen.stream().noneMatch(twice) && errors.isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail("no reader saw state " + idx + " within 60 s");
            }
            Thread.sleep(20);
        }
    }
}
