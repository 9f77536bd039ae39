package dev.cvm.config;

import dev.cvm.CvmException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CvmConfigTest {

    @Test
    void defaultsComeFromReferenceConf() {
        CvmConfig c = CvmConfig.parse("cvm.warehouse = /tmp/w");
        assertEquals("/tmp/w", c.warehouse());
        assertEquals(0.05, c.ingest().maxQuarantineShare());
        assertTrue(c.ingest().failOnExtraColumns());
        assertEquals(2, c.spark().parallelSteps());
    }

    @Test
    void unknownKeyIsRejectedByName() {
        CvmException e = assertThrows(CvmException.class, () -> CvmConfig.parse("cvm.ingest.max-quarantine-shar = 0.1"));
        assertTrue(e.getMessage().contains("cvm.ingest.max-quarantine-shar"), e.getMessage());
        assertEquals(2, e.exitCode());
    }

    @Test
    void wrongTypeNamesTheKey() {
        CvmException e = assertThrows(CvmException.class, () -> CvmConfig.parse("cvm.ingest.max-quarantine-share = lots"));
        assertTrue(e.getMessage().contains("max-quarantine-share"), e.getMessage());
    }

    @Test
    void impossibleValueNamesTheKey() {
        CvmException e = assertThrows(CvmException.class, () -> CvmConfig.parse("cvm.ingest.max-quarantine-share = 1.5"));
        assertTrue(e.getMessage().contains("cvm.ingest.max-quarantine-share"), e.getMessage());
        e = assertThrows(CvmException.class, () -> CvmConfig.parse("cvm.ingest.extra-columns = maybe"));
        assertTrue(e.getMessage().contains("cvm.ingest.extra-columns"), e.getMessage());
        e = assertThrows(CvmException.class, () -> CvmConfig.parse("cvm.spark.parallel-steps = 0"));
        assertTrue(e.getMessage().contains("cvm.spark.parallel-steps"), e.getMessage());
    }

    @Test
    void sparkConfIsFreeForm() {
        CvmConfig c = CvmConfig.parse("cvm.spark.conf { \"spark.sql.shuffle.partitions\" = 3 }");
        assertEquals("3", c.spark().conf().get("spark.sql.shuffle.partitions"));
    }

    @Test
    void missingFileIsAUsageError(@TempDir Path dir) {
        CvmException e = assertThrows(CvmException.class, () -> CvmConfig.load(dir.resolve("nope.conf").toFile()));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("nope.conf"));
    }

    @Test
    void shippedConfigsLoad() throws Exception {
        File home = new File(System.getProperty("cvm.home", "."));
        for (String name : new String[] {"local.conf", "cluster.conf"}) {
            File f = new File(home, "conf/" + name);
            assertTrue(f.isFile(), f + " exists");
            CvmConfig c = CvmConfig.load(f);
            assertTrue(!c.warehouse().isBlank());
        }
        Path tmp = Files.createTempFile("cvm", ".conf");
        Files.writeString(tmp, "cvm { input.root = /data/in, warehouse = /data/wh }");
        assertEquals("/data/in", CvmConfig.load(tmp.toFile()).inputRoot());
    }
}
