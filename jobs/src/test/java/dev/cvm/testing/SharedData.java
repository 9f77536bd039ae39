package dev.cvm.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The shared reference data beside the repository (../shared), or a skipped test with the reason. */
public final class SharedData {
    private SharedData() {}

    public static Path cdnow() {
        String prop = System.getProperty("cvm.shared.dir");
        Path dir = prop != null ? Path.of(prop, "data", "cdnow") : null;
        if (dir == null || !Files.isDirectory(dir)) {
            Path p = Path.of("").toAbsolutePath();
            while (p != null && !Files.isDirectory(p.resolve("shared/data/cdnow"))) {
                p = p.getParent();
            }
            dir = p == null ? null : p.resolve("shared/data/cdnow");
        }
        assumeTrue(dir != null && Files.isDirectory(dir),
                "../shared/data/cdnow not found: CDNOW reference test skipped");
        return dir;
    }
}
