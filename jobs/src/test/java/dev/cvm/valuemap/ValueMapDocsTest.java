package dev.cvm.valuemap;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/value-map.md documents every output column and every config key of the value map. */
class ValueMapDocsTest {
    @Test
    void docListsEveryColumnAndKey() throws Exception {
        String doc = Files.readString(Path.of(System.getProperty("cvm.home", ".")).resolve("docs/value-map.md"));
        List<String> missing = new ArrayList<>();
        for (String c : ValueMap.ATTRIBUTE_COLUMNS) {
            if (!doc.contains("| `" + c + "` |")) {
                missing.add("value_map_attributes." + c);
            }
        }
        for (String c : ValueMap.SEGMENT_COLUMNS) {
            if (!doc.contains("| `" + c + "` |")) {
                missing.add("value_map_segments." + c);
            }
        }
        for (String key : ConfigFactory.parseResources("reference.conf").getConfig("cvm.value-map").root().keySet()) {
            if (!doc.contains("| `" + key + "` |")) {
                missing.add("cvm.value-map." + key);
            }
        }
        assertTrue(missing.isEmpty(), "docs/value-map.md does not document " + missing);
    }
}
