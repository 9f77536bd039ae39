package dev.cvm.cluster;

import dev.cvm.testing.SparkTestSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The whole pipeline on a real Spark standalone cluster: {@code bin/cluster-test} starts a master and two workers from
 * the Maven-resolved Spark jars and runs {@code cvm run --train} over data-samples/ locally, in client mode and in
 * cluster deploy mode, each in separate JVMs; this test then checks with {@link ClusterRunVerifier} (on the suite's
 * local session) that executors did the work and that all three runs wrote the same tables.
 *
 * <p>Maven builds the shaded jar before the tests run (jobs/pom.xml binds it to process-test-classes), so plain
 * {@code mvn test} is enough. The script's work directory, {@code jobs/target/cluster-test}, is kept when the test
 * fails. The test is skipped, loudly, only when the script reports that this machine cannot start the JVMs.
 */
class StandaloneClusterTest {
    /**
     * A hard stop against hangs. The run takes about 13 minutes on an idle two-core machine, up to twice that on a
     * slower one (the whole chain three times, each a JVM with a Spark session), and longer when the machine is shared.
     */
    private static final Duration TIMEOUT = Duration.ofMinutes(60);
    /** bin/cluster-test's exit code for "this machine cannot run the cluster". */
    private static final int CANNOT_RUN = 77;

    @Test
    void pipelineRunsOnExecutorsOfAStandaloneClusterAndWritesWhatLocalModeWrites() throws Exception {
        Path home = cvmHome();
        Path work = home.resolve("jobs/target/cluster-test");
        deleteRecursively(work);

        ProcessBuilder pb = new ProcessBuilder("bash", home.resolve("bin/cluster-test").toString(),
                "--work", work.toString(), "--no-verify").redirectErrorStream(true);
        pb.environment().put("CVM_NO_BUILD", "1");
        Process p = pb.start();
        List<String> output = new ArrayList<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    System.out.println(line);
                    synchronized (output) {
                        output.add(line);
                    }
                }
            } catch (IOException e) {
                System.out.println("(output of bin/cluster-test lost: " + e + ")");
            }
        }, "cluster-test-output");
        pump.setDaemon(true);
        pump.start();

        if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroy(); // SIGTERM: the script's trap stops the cluster
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            fail("bin/cluster-test did not finish within " + TIMEOUT + "; work directory kept: " + work);
        }
        pump.join(10_000);
        String log;
        synchronized (output) {
            log = String.join("\n", output.subList(Math.max(0, output.size() - 60), output.size()));
        }
        if (p.exitValue() == CANNOT_RUN) {
            String why = log.lines().filter(l -> l.contains("CANNOT RUN")).collect(Collectors.joining("; "));
            String banner = "\n" + "!".repeat(100) + "\nSKIPPED StandaloneClusterTest: this machine cannot start "
                    + "the Spark cluster's JVMs, so distributed execution is NOT tested here.\n" + why + "\n"
                    + "!".repeat(100);
            System.err.println(banner);
            System.out.println(banner);
            Assumptions.abort("machine cannot start the cluster: " + why);
        }
        assertEquals(0, p.exitValue(), "bin/cluster-test failed (work directory kept: " + work + "):\n" + log);

        ClusterRunVerifier.Result result = ClusterRunVerifier.verify(SparkTestSupport.spark(), work);
        System.out.print(result.describe());
        assertTrue(result.ok(), result.describe() + "\n(work directory kept: " + work + ")");
        deleteRecursively(work);
    }

    /** The repository root: the system property surefire sets, or its parent when Maven ran inside jobs/. */
    private static Path cvmHome() {
        Path home = Path.of(System.getProperty("cvm.home", ".")).toAbsolutePath().normalize();
        if (!Files.exists(home.resolve("bin/cluster-test")) && home.getParent() != null
                && Files.exists(home.getParent().resolve("bin/cluster-test"))) {
            home = home.getParent();
        }
        return home;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            // Symlinks (the Spark home's jars) are deleted, not followed.
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
