package dev.cvm.reliability;

import dev.cvm.cluster.TableChecksums;
import dev.cvm.config.CvmConfig;
import dev.cvm.segments.SegmentStage;
import dev.cvm.testing.SparkTestSupport;
import dev.cvm.warehouse.FaultInjection.InjectedFault;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.cvm.reliability.Reliability.checksums;
import static dev.cvm.reliability.Reliability.unreferencedFiles;
import static dev.cvm.reliability.Reliability.version;
import static dev.cvm.reliability.Reliability.withFault;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The segment stage (three output tables) dies in the middle of writing its second table and is re-run: every
 * table stays readable at its previous version, and the re-run gives exactly what an uninterrupted run gave.
 */
class SegmentRerunTest {
    static final LocalDate RUN = LocalDate.parse("2026-03-01");
    static final Table[] OUTPUTS = {Table.CUSTOMER_SCORES, Table.CAMPAIGN_TARGETS, Table.SEGMENT_SUMMARY};
    @TempDir
    static Path tmp;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aRunThatDiesMidWriteLeavesThePreviousVersionsAndARerunRestoresIdenticalResults() {
        // One k for the micro-segments: the k search is most of the stage's time and proves nothing here.
        CvmConfig config = SparkTestSupport.config(tmp.resolve("wh"), tmp.resolve("in"), "cvm.segments.micro { k-min = 3, k-max = 3 }");
        Warehouse warehouse = SparkTestSupport.warehouse(config);
        SegmentStage stage = new SegmentStage(warehouse, config.segments(), config.programs(), SparkTestSupport.log());
        UpstreamFixtures.Inputs in = UpstreamFixtures.segmentInputs(config.programs(), RUN, 150, 1);
        Dataset<Row> suppressed = SparkTestSupport.spark().sql("SELECT 'A00001' AS account_id");
        Runnable segment = () -> stage.run(in.record(), in.contacts(), suppressed, RUN);
        segment.run();
        Map<String, TableChecksums.Checksum> uninterrupted = checksums(warehouse, OUTPUTS);
        long scores = version(warehouse, Table.CUSTOMER_SCORES);
        long targets = version(warehouse, Table.CAMPAIGN_TARGETS);
        long summary = version(warehouse, Table.SEGMENT_SUMMARY);
        assertTrue(unreferencedFiles(warehouse, Table.CAMPAIGN_TARGETS).isEmpty());

        InjectedFault fault = assertThrows(InjectedFault.class,
                () -> withFault("during-write:campaign_targets", segment));
        assertTrue(fault.getMessage().contains("during-write:campaign_targets"), fault.getMessage());

        // customer_scores was committed before the stage died; campaign_targets' write job failed in its tasks,
        // so Delta never committed it; segment_summary was never reached.
        assertEquals(scores + 1, version(warehouse, Table.CUSTOMER_SCORES));
        assertEquals(targets, version(warehouse, Table.CAMPAIGN_TARGETS));
        assertEquals(summary, version(warehouse, Table.SEGMENT_SUMMARY));
        assertTrue(unreferencedFiles(warehouse, Table.CAMPAIGN_TARGETS).isEmpty());
        // Readers see every table complete at its previous content.
        assertEquals(uninterrupted, checksums(warehouse, OUTPUTS));

        // The same date again (here: after the failure) gives identical tables, customer_scores included.
        segment.run();
        assertEquals(uninterrupted, checksums(warehouse, OUTPUTS), "a re-run must reproduce the uninterrupted run");
    }
}
