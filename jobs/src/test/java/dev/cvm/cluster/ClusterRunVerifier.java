package dev.cvm.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cvm.testing.SparkTestSupport;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the work directory of {@code bin/cluster-test}: that every run succeeded, that on the cluster the tasks
 * ran in executor JVMs (at least two, none on the driver), that cluster-mode drivers ran on a worker and finished,
 * and that every run wrote the same data as the local one. Holds no JUnit, so the script can run it on its own.
 *
 * <p>Layout read: {@code modes.txt} (first mode is the reference), {@code runs.tsv} (mode, step, seconds, status),
 * {@code <mode>/warehouse}, {@code <mode>/events/<step>/} (one Spark event log per step, not
 * for the local mode), {@code cluster/drivers.txt} and {@code master.json} (the master's final state).
 */
public final class ClusterRunVerifier {
    /** Modes whose runs went through the standalone master; the name is also the expected deploy mode. */
    static final Set<String> CLUSTER_MODES = Set.of("client", "cluster");

    public record Result(List<String> report, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }

        public String describe() {
            StringBuilder sb = new StringBuilder();
            report.forEach(l -> sb.append(l).append('\n'));
            if (problems.isEmpty()) {
                sb.append("verification: all checks passed\n");
            } else {
                sb.append("verification: ").append(problems.size()).append(" problem(s):\n");
                problems.forEach(p -> sb.append("  - ").append(p).append('\n'));
            }
            return sb.toString();
        }
    }

    private final SparkSession spark;
    private final Path work;
    private final List<String> report = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Map<String, TableChecksums.Checksum>> known;

    private ClusterRunVerifier(SparkSession spark, Path work, Map<String, Map<String, TableChecksums.Checksum>> known) {
        this.spark = spark;
        this.work = work;
        this.known = known;
    }

    public static Result verify(SparkSession spark, Path work) {
        return verify(spark, work, Map.of());
    }

    /**
     * As {@link #verify(SparkSession, Path)}, with the table checksums of some modes already computed (by
     * {@link TableChecksums#ofWarehouse}) while later runs were still going.
     */
    public static Result verify(SparkSession spark, Path work,
                                Map<String, Map<String, TableChecksums.Checksum>> known) {
        ClusterRunVerifier v = new ClusterRunVerifier(spark, work, known);
        v.run();
        return new Result(List.copyOf(v.report), List.copyOf(v.problems));
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ClusterRunVerifier <work directory of bin/cluster-test>");
            System.exit(2);
        }
        Result r = verify(SparkTestSupport.spark(), Path.of(args[0]).toAbsolutePath());
        System.out.print(r.describe());
        System.exit(r.ok() ? 0 : 1);
    }

    private void run() {
        List<String> modes = lines(work.resolve("modes.txt"));
        if (modes.isEmpty()) {
            problems.add("no modes in " + work.resolve("modes.txt"));
            return;
        }
        Map<String, List<String>> steps = runs(modes);
        long t0 = System.nanoTime();
        for (String mode : modes) {
            if (CLUSTER_MODES.contains(mode)) {
                checkDistribution(mode, steps.getOrDefault(mode, List.of()));
            }
        }
        if (modes.contains("cluster")) {
            checkClusterDrivers();
        }
        long t1 = System.nanoTime();
        checkSameData(modes);
        report.add(String.format("checked distribution in %.1f s, data in %.1f s", (t1 - t0) / 1e9,
                (System.nanoTime() - t1) / 1e9));
    }

    /** runs.tsv: every step of every mode succeeded, and every mode ran the reference's steps. */
    private Map<String, List<String>> runs(List<String> modes) {
        Map<String, List<String>> steps = new LinkedHashMap<>();
        for (String line : lines(work.resolve("runs.tsv"))) {
            String[] f = line.split("\t");
            steps.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[1]);
            report.add(String.format("run  %-8s %-14s %5s s  %s", f[0], f[1], f[2], f[3]));
            if (!f[3].equals("ok")) {
                problems.add(f[0] + " " + f[1] + " did not succeed: " + f[3]);
            }
        }
        List<String> reference = steps.getOrDefault(modes.get(0), List.of());
        if (reference.isEmpty()) {
            problems.add("no steps ran in mode " + modes.get(0));
        }
        for (String mode : modes) {
            List<String> ran = steps.getOrDefault(mode, List.of());
            if (!ran.equals(reference)) {
                problems.add("mode " + mode + " ran steps " + steps.get(mode) + ", " + modes.get(0) + " ran "
                        + reference);
            }
        }
        return steps;
    }

    /** From Spark's own event log: the step ran against the standalone master, on two or more executor JVMs. */
    private void checkDistribution(String mode, List<String> steps) {
        for (String step : steps) {
            Path dir = work.resolve(mode).resolve("events").resolve(step);
            List<Path> logs = Files.isDirectory(dir) ? EventLog.appLogs(dir) : List.of();
            if (logs.size() != 1) {
                problems.add(mode + " " + step + ": expected one event log in " + dir + ", found " + logs.size());
                continue;
            }
            EventLog log = EventLog.parse(logs.get(0));
            report.add(String.format("executors  %-8s %-14s %s", mode, step, log));
            String what = mode + " " + step + " (" + log.path() + "): ";
            if (log.master() == null || !log.master().startsWith("spark://")) {
                problems.add(what + "ran with master " + log.master() + ", not a standalone master");
            }
            if (!mode.equals(log.deployMode())) {
                problems.add(what + "deploy mode " + log.deployMode() + ", expected " + mode);
            }
            if (!log.ended()) {
                problems.add(what + "the application did not end cleanly (no SparkListenerApplicationEnd)");
            }
            if (log.totalTasks() == 0) {
                problems.add(what + "no successful tasks");
            }
            if (log.tasksByExecutor().containsKey("driver")) {
                problems.add(what + log.tasksByExecutor().get("driver") + " tasks ran in the driver");
            }
            long busy = log.tasksByExecutor().entrySet().stream()
                    .filter(e -> !e.getKey().equals("driver") && e.getValue() > 0).count();
            if (busy < 2) {
                problems.add(what + "tasks ran on " + busy + " executor(s), expected at least 2: "
                        + log.tasksByExecutor());
            }
            Set<String> jvms = new HashSet<>(log.executorAddresses().values());
            if (jvms.contains("?") || jvms.size() != log.executorAddresses().size()) {
                problems.add(what + "executors do not have distinct block-manager addresses: "
                        + log.executorAddresses());
            }
            if (log.driverAddress() == null || jvms.contains(log.driverAddress())) {
                problems.add(what + "an executor shares the driver's address " + log.driverAddress());
            }
        }
    }

    /** Cluster deploy mode: every driver ran on a worker and finished with exit code 0 (state FINISHED). */
    private void checkClusterDrivers() {
        List<String> ids = lines(work.resolve("cluster").resolve("drivers.txt"));
        if (ids.isEmpty()) {
            problems.add("cluster mode: no driver ids recorded in cluster/drivers.txt");
            return;
        }
        JsonNode master;
        try {
            master = new ObjectMapper().readTree(work.resolve("master.json").toFile());
        } catch (IOException e) {
            problems.add("cannot read master.json: " + e.getMessage());
            return;
        }
        Map<String, JsonNode> drivers = new LinkedHashMap<>();
        for (String section : List.of("activedrivers", "completeddrivers")) {
            master.path(section).forEach(d -> drivers.put(d.path("id").asText(), d));
        }
        for (String id : ids) {
            JsonNode d = drivers.get(id);
            if (d == null) {
                problems.add("cluster mode: driver " + id + " unknown to the master");
                continue;
            }
            String state = d.path("state").asText();
            String worker = d.path("worker").asText("");
            report.add(String.format("driver  %s  %s on %s", id, state, worker));
            if (!state.equals("FINISHED")) {
                problems.add("cluster mode: driver " + id + " ended " + state);
            }
            if (worker.isBlank() || worker.equals("None")) {
                problems.add("cluster mode: driver " + id + " has no worker");
            }
        }
    }

    /** Every Delta table partition of each mode has the same content as in the reference mode. */
    private void checkSameData(List<String> modes) {
        String ref = modes.get(0);
        Map<String, TableChecksums.Checksum> refTables = checksums(ref);
        if (refTables.isEmpty()) {
            problems.add(ref + ": no Delta tables under " + warehouse(ref).resolve("delta"));
        }
        refTables.forEach((k, v) -> report.add(String.format("table  %-40s %s", k, v)));
        report.add(String.format("compared: %d Delta table partitions in each of %s%s", refTables.size(), modes,
                known.isEmpty() ? "" : " (checksums of " + known.keySet().stream().sorted().toList()
                        + " taken while later runs went on)"));
        for (String mode : modes.subList(1, modes.size())) {
            for (String d : TableChecksums.differences(refTables, ref, checksums(mode), mode)) {
                problems.add("Delta " + d);
            }
        }
    }

    private Map<String, TableChecksums.Checksum> checksums(String mode) {
        Map<String, TableChecksums.Checksum> given = known.get(mode);
        return given != null ? given : TableChecksums.ofWarehouse(spark, warehouse(mode));
    }

    static Path warehouse(Path work, String mode) {
        return work.resolve(mode).resolve("warehouse");
    }

    private Path warehouse(String mode) {
        return warehouse(work, mode);
    }

    private static List<String> lines(Path p) {
        try {
            return Files.exists(p)
                    ? Files.readAllLines(p).stream().map(String::strip).filter(s -> !s.isEmpty()).toList()
                    : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
