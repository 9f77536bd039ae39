package dev.cvm.cluster;

import dev.cvm.cli.CvmCli;
import dev.cvm.testing.SparkTestSupport;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The whole pipeline on a real Spark standalone cluster: {@code bin/cluster-test} starts a master and two workers from
 * the Maven-resolved Spark jars and runs {@code cvm run --train} over data-samples/ in client mode and in cluster
 * deploy mode, each with its own driver and executor JVMs. Meanwhile this test runs the same command locally, as the
 * reference, on the suite's {@code local[2]} session: its JVM has already compiled Spark's code paths, where a fresh
 * {@code bin/cvm} JVM would spend most of its time in the JIT compiler. It then checks with {@link ClusterRunVerifier}
 * that executors did the work and that all three runs wrote the same tables.
 *
 * <p>Maven builds the shaded jar before the tests run (jobs/pom.xml binds it to process-test-classes), so plain
 * {@code mvn test} is enough. The script's work directory, {@code jobs/target/cluster-test}, is kept when the test
 * fails. The test is skipped, loudly, only when the script reports that this machine cannot start the JVMs.
 */
@Order(Integer.MAX_VALUE) // last in the suite (junit-platform.properties): the local reference runs in a warm JVM
class StandaloneClusterTest {
    /**
     * A hard stop against hangs. The test takes 5 to 6 minutes on an idle two-core machine, up to twice that on a
     * slower one (the whole chain three times, twice in JVMs that start cold), and longer when the machine is shared.
     */
    private static final Duration TIMEOUT = Duration.ofMinutes(60);
    /** bin/cluster-test's exit code for "this machine cannot run the cluster". */
    private static final int CANNOT_RUN = 77;
    /** The date of every run, the script's ones and the local reference. */
    private static final String RUN_DATE = "2026-11-01";

    @Test
    void pipelineRunsOnExecutorsOfAStandaloneClusterAndWritesWhatLocalModeWrites() throws Exception {
        Path home = cvmHome();
        Path work = home.resolve("jobs/target/cluster-test");
        deleteRecursively(work);

        ProcessBuilder pb = new ProcessBuilder("bash", home.resolve("bin/cluster-test").toString(),
                "--work", work.toString(), "--modes", "client,cluster", "--run-date", RUN_DATE, "--no-verify")
                .redirectErrorStream(true);
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

        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        LocalReference local;
        // Checksums of the warehouses already finished, taken while the script's later runs go on.
        Map<String, Map<String, TableChecksums.Checksum>> checksums = new HashMap<>();
        try {
            local = runLocalReference(home, work);
            if (local.exitCode() == 0) {
                checksums.put("local", checksumsOf(work, "local"));
            }
            if (clientRunSucceeded(p, work, deadline)) {
                checksums.put("client", checksumsOf(work, "client"));
            }
        } catch (Exception | Error e) {
            p.destroy(); // SIGTERM: the script's trap stops the cluster
            throw e;
        }
        if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
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
        assertEquals(0, local.exitCode(), "the local reference run failed (its output is above; work directory kept: "
                + work + ")");
        local.record(work);

        ClusterRunVerifier.Result result = ClusterRunVerifier.verify(SparkTestSupport.spark(), work, checksums);
        System.out.print(result.describe());
        assertTrue(result.ok(), result.describe() + "\n(work directory kept: " + work + ")");
        deleteRecursively(work);
    }

    /** The local reference run, as bin/cluster-test's own local mode would have recorded it. */
    private record LocalReference(String step, long seconds, int exitCode) {
        /** Puts the run first among the modes (the reference) and beside the script's runs in runs.tsv. */
        void record(Path work) throws IOException {
            Path modes = work.resolve("modes.txt");
            Files.writeString(modes, "local\n" + Files.readString(modes));
            Files.writeString(work.resolve("runs.tsv"), "local\t" + step + "\t" + seconds + "\tok\n",
                    StandardOpenOption.APPEND);
        }
    }

    /**
     * {@code cvm run --train} on the suite's session, with the script's settings (conf/cluster-test.conf) and the
     * script's local master. The only other difference is the catalog database, so that the run's registrations do
     * not meet those of other tests in the suite's metastore; the checksums compare the tables' data, not the catalog.
     */
    private static LocalReference runLocalReference(Path home, Path work) throws IOException {
        Path dir = Files.createDirectories(work.resolve("local"));
        Path conf = dir.resolve("cvm.conf");
        Files.writeString(conf, "include file(\"" + home.resolve("conf/cluster-test.conf") + "\")\n"
                + "cvm {\n"
                + "  spark.master = \"local[2]\"\n"
                + "  warehouse = \"" + dir.resolve("warehouse") + "\"\n"
                + "  input.root = \"" + home.resolve("data-samples/raw") + "\"\n"
                + "  catalog.database = cvm_cluster_reference\n"
                + "}\n");
        SparkSession spark = SparkTestSupport.spark();
        // The run sets its config's SQL options on the shared session; the rest of the suite gets its own back.
        Map<String, String> before = Map.copyOf(CollectionConverters.asJava(spark.conf().getAll()));
        long t0 = System.nanoTime();
        int code;
        try {
            code = CvmCli.execute("run", "--train", "--run-date", RUN_DATE, "--conf", conf.toString());
        } finally {
            restore(spark, before);
        }
        return new LocalReference("01-run", Math.round((System.nanoTime() - t0) / 1e9), code);
    }

    private static Map<String, TableChecksums.Checksum> checksumsOf(Path work, String mode) {
        return TableChecksums.ofWarehouse(SparkTestSupport.spark(), ClusterRunVerifier.warehouse(work, mode));
    }

    /**
     * Waits while the script runs for its client-mode run to end; true when runs.tsv records it as "ok" (the cluster
     * deploy-mode run then starts). False when the script ends first, the run failed or time is up: the checks after
     * the script report it.
     */
    private static boolean clientRunSucceeded(Process script, Path work, long deadline)
            throws IOException, InterruptedException {
        Path runs = work.resolve("runs.tsv");
        while (true) {
            boolean ended = !script.isAlive() || System.nanoTime() > deadline;
            if (Files.exists(runs)) {
                for (String line : Files.readAllLines(runs)) {
                    String[] f = line.split("\t");
                    if (f.length == 4 && f[0].equals("client")) {
                        return f[3].equals("ok");
                    }
                }
            }
            if (ended) {
                return false;
            }
            Thread.sleep(1_000);
        }
    }

    private static void restore(SparkSession spark, Map<String, String> before) {
        for (String key : CollectionConverters.asJava(spark.conf().getAll()).keySet()) {
            if (!before.containsKey(key) && spark.conf().isModifiable(key)) {
                spark.conf().unset(key);
            }
        }
        before.forEach((k, v) -> {
            if (spark.conf().isModifiable(k) && !v.equals(spark.conf().get(k, null))) {
                spark.conf().set(k, v);
            }
        });
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
