package dev.cvm.reliability;

import dev.cvm.CvmException;
import dev.cvm.testing.SparkTestSupport;
import dev.cvm.warehouse.FaultInjection.InjectedFault;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static dev.cvm.reliability.Reliability.version;
import static dev.cvm.reliability.Reliability.withFault;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hook itself: a misspelt setting is refused, and each point fails exactly where it says. */
class FaultInjectionSpecTest {
    static final LocalDate RUN = LocalDate.parse("2026-03-01");
    @TempDir
    Path tmp;

    static Dataset<Row> rows() {
        return SparkTestSupport.spark().sql("SELECT id, DATE'2026-03-01' AS as_of_date FROM range(2)");
    }

    @Test
    void aMisspeltSettingIsABadUsageErrorNotASilentNoOp() {
        Warehouse w = new Warehouse(SparkTestSupport.spark(), tmp.resolve("wh").toString());
        for (String bad : List.of("during-write", "mid-write:drift", "during-write:drfit")) {
            CvmException e = assertThrows(CvmException.class,
                    () -> withFault(bad, () -> w.replaceRunDate(Table.DRIFT, rows(), RUN)));
            assertEquals(2, e.exitCode());
            assertTrue(e.getMessage().contains("cvm.fault-injection") && e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void beforeAndAfterWriteFailOnEitherSideOfTheCommit() {
        Warehouse w = new Warehouse(SparkTestSupport.spark(), tmp.resolve("wh").toString());
        List<LocalDate> asOf = List.of(RUN);
        w.replacePartitions(Table.ACCOUNT_LABELS, rows(), RUN, "as_of_date", asOf);
        long v = version(w, Table.ACCOUNT_LABELS);
        withFault("before-write:account_labels", () ->
                assertThrows(InjectedFault.class, () -> w.replacePartitions(Table.ACCOUNT_LABELS, rows(), RUN, "as_of_date", asOf)));
        assertEquals(v, version(w, Table.ACCOUNT_LABELS));
        withFault("after-write:account_labels", () ->
                assertThrows(InjectedFault.class, () -> w.replacePartitions(Table.ACCOUNT_LABELS, rows(), RUN, "as_of_date", asOf)));
        assertEquals(v + 1, version(w, Table.ACCOUNT_LABELS));
    }
}
