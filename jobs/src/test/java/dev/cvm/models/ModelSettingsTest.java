package dev.cvm.models;

import dev.cvm.CvmException;
import dev.cvm.config.CvmConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelSettingsTest {

    private static ModelSettings with(String overrides) {
        return CvmConfig.parse("cvm.warehouse = /data/wh\n" + overrides).models();
    }

    @Test
    void fitPartitionsGrowWithTheRowsAtOnePerRowsPerPartition() {
        ModelSettings s = with("cvm.models.rows-per-partition = 1000");
        assertEquals(1, s.fitPartitions(0));
        assertEquals(1, s.fitPartitions(1));
        assertEquals(1, s.fitPartitions(1000));
        assertEquals(2, s.fitPartitions(1001));
        assertEquals(4_500, s.fitPartitions(4_500_000));
    }

    @Test
    void theDefaultsFitTwoCandidatesOfTwoModelsAtOnceOnOnePartitionForTheSample() {
        ModelSettings s = with("");
        assertEquals(2, s.parallelFits());
        assertEquals(2, s.parallelModels());
        assertEquals(1, s.fitPartitions(20_000));
    }

    @Test
    void aNonPositiveParallelismOrPartitionSizeIsAUsageError() {
        CvmException e = assertThrows(CvmException.class, () -> with("cvm.models.parallel-fits = 0"));
        assertTrue(e.getMessage().contains("cvm.models.parallel-fits"), e.getMessage());
        e = assertThrows(CvmException.class, () -> with("cvm.models.parallel-models = 0"));
        assertTrue(e.getMessage().contains("cvm.models.parallel-models"), e.getMessage());
        e = assertThrows(CvmException.class, () -> with("cvm.models.rows-per-partition = -5"));
        assertTrue(e.getMessage().contains("cvm.models.rows-per-partition"), e.getMessage());
    }
}
