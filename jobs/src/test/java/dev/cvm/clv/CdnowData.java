package dev.cvm.clv;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Finds the shared CDNOW reference data (shared/data/cdnow, see its SOURCE.md and REFERENCE.md) the same way as
 * {@code dev.cvm.clv.math.CdnowFixtures}: system property {@code cvm.shared.dir}, else walking up from the working
 * directory. Tests that need it are skipped with a message when it is absent.
 */
final class CdnowData {
    private CdnowData() {}

    static Path dir() {
        Path found = locate();
        assumeTrue(found != null, "../shared/data/cdnow not found: CDNOW reference tests skipped");
        return found;
    }

    static Path file(String name) {
        return dir().resolve(name);
    }

    private static Path locate() {
        String prop = System.getProperty("cvm.shared.dir");
        if (prop != null && !prop.isBlank()) {
            Path p = Paths.get(prop);
            for (Path c : List.of(p, p.resolve("data/cdnow"), p.resolve("shared/data/cdnow"))) {
                if (Files.isRegularFile(c.resolve("CDNOW_sample.txt"))) {
                    return c;
                }
            }
            return null;
        }
        for (Path cur = Paths.get("").toAbsolutePath(); cur != null; cur = cur.getParent()) {
            Path c = cur.resolve("shared").resolve("data").resolve("cdnow");
            if (Files.isRegularFile(c.resolve("CDNOW_sample.txt"))) {
                return c;
            }
        }
        return null;
    }
}
