package dev.cvm.config;

import dev.cvm.CvmException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Storage paths of the config: usable, and the pipeline never writes into its input. No Spark needed. */
class StoragePathsTest {
    private static CvmException refused(String hocon, String... fragments) {
        CvmException e = assertThrows(CvmException.class, () -> CvmConfig.parse(hocon));
        assertEquals(2, e.exitCode(), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "\"" + f + "\" in: " + e.getMessage());
        }
        return e;
    }

    @Test
    void theWarehouseMayNotBeInsideEqualToOrAroundTheInput() {
        refused("cvm { input.root = /data/in, warehouse = /data/in/wh }",
                "cvm.warehouse (/data/in/wh) lies inside cvm.input.root (/data/in)", "never write into its input");
        refused("cvm { input.root = /data/in, warehouse = \"/data/in/\" }", "is the same location as");
        refused("cvm { input.root = /data/x/../in, warehouse = /data/in }", "is the same location as");
        refused("cvm { input.root = /data/wh/in, warehouse = /data/wh }", "contains cvm.input.root");
        refused("cvm { input.root = \"hdfs://nn/landing\", warehouse = \"hdfs://nn/landing/cvm\" }", "lies inside");
        // Dated deliveries: the directory holding them is input, so a warehouse among them is refused too.
        refused("cvm { input.root = \"hdfs:///landing/{run_date}\", warehouse = \"hdfs:///landing/wh\" }",
                "lies inside");
        // The embedded metastore is written as well.
        refused("cvm { input.root = /data/in, warehouse = /data/wh, catalog.derby-dir = /data/in/metastore }",
                "cvm.catalog.derby-dir (/data/in/metastore) lies inside");
    }

    @Test
    void sideBySideLocationsAndOtherFileSystemsAreFine() {
        CvmConfig c = CvmConfig.parse("cvm { input.root = /data/in, warehouse = /data/in-wh }");
        assertEquals("/data/in-wh", c.warehouse());
        CvmConfig.parse("cvm { input.root = \"hdfs://a/data\", warehouse = \"hdfs://b/data\" }");
        CvmConfig.parse("cvm { input.root = \"s3a://landing\", warehouse = \"s3a://cvm/wh\" }");
        CvmConfig.parse("cvm { input.root = \"hdfs:///landing/{run_date}\", warehouse = \"hdfs:///cvm/wh\" }");
    }

    @Test
    void unusablePathsAreRefusedWithWhatToWrite() {
        refused("cvm.warehouse = \"  \"", "cvm.warehouse must not be empty");
        refused("cvm.input.root = \"\"", "cvm.input.root must not be empty");
        refused("cvm.warehouse = \"~/cvm\"", "'~' is not expanded", "absolute path");
        refused("cvm.warehouse = \"/data/{run_date}/wh\"", "takes no placeholder");
        refused("cvm.input.root = \"/data/{date}\"", "the only placeholder is {run_date}");
        refused("cvm.warehouse = \"hdfs:data\"", "the URI has no directory");
        refused("cvm.warehouse = \"hdfs://nn/my data\"", "not a valid URI");
    }

    @Test
    void aRelativePathIsResolvedOnceAgainstTheWorkingDirectory() {
        CvmConfig c = CvmConfig.parse("cvm { warehouse = \"wh/../warehouse\", input.root = in }");
        assertEquals(Path.of("warehouse").toAbsolutePath().toString(), c.warehouse());
        assertEquals(Path.of("in").toAbsolutePath().toString(), c.inputRoot());
        refused("cvm { warehouse = in/wh, input.root = in }", "lies inside");
    }
}
