package dev.cvm.reliability;

import dev.cvm.cli.CvmCli;
import dev.cvm.cluster.TableChecksums;
import dev.cvm.config.CvmConfig;
import dev.cvm.contract.InputContract;
import dev.cvm.ingest.IngestStage;
import dev.cvm.testing.SparkTestSupport;
import dev.cvm.warehouse.FaultInjection.InjectedFault;
import dev.cvm.warehouse.RunLock;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.cvm.reliability.Reliability.checksums;
import static dev.cvm.reliability.Reliability.ofDate;
import static dev.cvm.reliability.Reliability.version;
import static dev.cvm.reliability.Reliability.withFault;
import static dev.cvm.testing.Fixtures.d;
import static dev.cvm.testing.Fixtures.row;
import static dev.cvm.testing.Fixtures.ts;
import static dev.cvm.testing.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ingest (ten output tables) on tiny deliveries: two `cvm ingest` runs of one date started together (one wins, one
 * is refused by the run lock), then a backfill of an older date that dies in the middle of a write and is re-run.
 * The newer date is never disturbed, and no table ever shows a part of the older date.
 */
class IngestRunsTest {
    static final LocalDate NEWER = d("2026-03-02");
    static final LocalDate OLDER = d("2026-03-01");
    @TempDir
    static Path tmp;

    record Outcome(int code, String err) {}

    static void delivery(LocalDate date, String extra) {
        Path in = tmp.resolve("in").resolve(date.toString());
        write(in, InputContract.ACCOUNTS,
                row("A1", "C1", d("2020-01-01"), null, "basic", "north", "web", 20.0),
                row("A2", "C2", d("2021-03-01"), null, "plus", null, null, null),
                row(extra, "C3", d("2022-01-01"), null, "plus", null, null, 9.0));
        write(in, InputContract.TRANSACTIONS,
                row("T1", "A1", ts("2025-01-01"), 10.0, "p", "web"),
                row("T2", extra, ts(date.minusDays(1).toString()), 5.0, null, null));
    }

    /** The same command twice at once, as a double trigger would start it, each through the real CLI. */
    static List<Outcome> twoAtOnce(String... args) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Outcome>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(pool.submit(() -> {
                    CommandLine cl = CvmCli.commandLine();
                    StringWriter err = new StringWriter();
                    cl.setErr(new PrintWriter(err));
                    start.await();
                    return new Outcome(cl.execute(args), err.toString());
                }));
            }
            List<Outcome> out = new ArrayList<>();
            for (Future<Outcome> f : runs) {
                out.add(f.get(150, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void concurrentRunsAreRefusedAndABackfillThatDiesMidWriteLeavesNoPartialDate() throws Exception {
        delivery(NEWER, "A3");
        delivery(OLDER, "A9");
        Path in = tmp.resolve("in/{run_date}");
        CvmConfig config = SparkTestSupport.config(tmp.resolve("wh"), in, null);
        Warehouse warehouse = SparkTestSupport.warehouse(config);
        Path conf = tmp.resolve("cvm.conf");
        // The commands' getOrCreate reuses the shared session, whatever the file says about Spark.
        Files.writeString(conf, "cvm { spark { master = \"local[2]\" }, warehouse = \"" + tmp.resolve("wh")
                + "\", input.root = \"" + in + "\" }\n");

        List<Outcome> race = twoAtOnce("ingest", "--run-date", NEWER.toString(), "--conf", conf.toString());
        assertEquals(List.of(0, 1), race.stream().map(Outcome::code).sorted().toList(), race.toString());
        String refused = race.stream().filter(o -> o.code() == 1).findFirst().orElseThrow().err();
        assertTrue(refused.contains("cvm: error: run date 2026-03-02 of warehouse") && refused.contains(
                "is locked by another cvm process: `cvm ingest`") && refused.contains("re-run"), refused);
        assertFalse(Files.exists(Paths.get(RunLock.file(warehouse, NEWER).toUri().getPath())), "lock not released");
        assertEquals(0, version(warehouse, Table.ACCOUNTS), "exactly one of the two runs may have written");
        Map<String, TableChecksums.Checksum> newer = checksums(warehouse);
        assertEquals(3, newer.get("accounts run_date=" + NEWER).rows());
        assertEquals(2, newer.get("transactions run_date=" + NEWER).rows());

        // The backfill dies in the middle of the transactions write; accounts, written beside it, is committed.
        IngestStage ingest = new IngestStage(config, warehouse, SparkTestSupport.log());
        assertThrows(InjectedFault.class, () -> withFault("during-write:transactions", () -> ingest.run(OLDER)));
        Map<String, TableChecksums.Checksum> afterFailure = checksums(warehouse);
        assertEquals(ofDate(newer, NEWER), ofDate(afterFailure, NEWER));
        assertTrue(afterFailure.containsKey("accounts run_date=" + OLDER), "accounts, written beside the failed write, was committed");
        assertFalse(afterFailure.containsKey("transactions run_date=" + OLDER),
                "the interrupted write must not show any row of the date: " + afterFailure.keySet());

        ingest.run(OLDER);
        Map<String, TableChecksums.Checksum> backfilled = checksums(warehouse);
        assertEquals(ofDate(newer, NEWER), ofDate(backfilled, NEWER), "the backfill changed the newer date");
        assertEquals(3, backfilled.get("accounts run_date=" + OLDER).rows());
        assertEquals(2, backfilled.get("transactions run_date=" + OLDER).rows());
        // The tables with rows (the others are empty for both dates); run_log has the newer date from the CLI only.
        assertEquals(java.util.Set.of("accounts run_date=" + OLDER, "transactions run_date=" + OLDER),
                ofDate(backfilled, OLDER).keySet());
    }
}
