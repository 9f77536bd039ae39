package dev.cvm.config;

import dev.cvm.CvmException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CatalogSettingsTest {
    @Test
    void embeddedByDefaultUnderTheWarehouse() {
        CatalogSettings c = CvmConfig.parse("cvm.warehouse = /data/wh").catalog();
        assertTrue(c.enabled());
        assertEquals("cvm", c.database());
        assertEquals(CatalogSettings.Mode.EMBEDDED, c.mode());
        assertEquals(Path.of("/data/wh/metastore_db"), c.localDerbyDir().orElseThrow());
        assertEquals("/data/wh/spark-warehouse", c.sparkWarehouseDir());
        assertTrue(c.problem().isEmpty());
        assertFalse(CvmConfig.parse("cvm.warehouse = /data/wh").publish().postgres().enabled());
    }

    @Test
    void anEmbeddedMetastoreNeedsALocalDirectory() {
        CatalogSettings c = CvmConfig.parse("cvm.warehouse = \"hdfs:///data/cvm\"").catalog();
        assertTrue(c.problem().orElseThrow().contains("cvm.catalog.metastore"), c.problem().toString());
        CatalogSettings thrift = CvmConfig.parse("cvm.warehouse = \"hdfs:///data/cvm\"\n"
                + "cvm.catalog.metastore = \"thrift://ms1:9083,thrift://ms2:9083\"").catalog();
        assertEquals(CatalogSettings.Mode.THRIFT, thrift.mode());
        assertTrue(thrift.problem().isEmpty());
        assertEquals(Path.of("/tmp/m"), CatalogSettings.localPath("file:///tmp/m").orElseThrow());
        assertEquals(Path.of("/tmp/m"), CatalogSettings.localPath("file:/tmp/m").orElseThrow());
    }

    @Test
    void badValuesNameTheKey() {
        for (String bad : new String[] {"cvm.catalog.database = \"cvm-prod\"", "cvm.catalog.metastore = \"hive\"",
                "cvm.catalog.metastore = \"thrift://host\"", "cvm.publish.postgres.schema = \"Cvm\"",
                "cvm.publish.postgres.readers = [\"bi team\"]", "cvm.publish.postgres.write-connections = 0"}) {
            CvmException e = assertThrows(CvmException.class, () -> CvmConfig.parse(bad), bad);
            assertEquals(2, e.exitCode());
            assertTrue(e.getMessage().contains(bad.substring(0, bad.indexOf(' '))), e.getMessage());
        }
    }
}
