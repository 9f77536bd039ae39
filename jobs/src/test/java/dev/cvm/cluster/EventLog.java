package dev.cvm.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What one application's Spark event log (spark.eventLog.enabled, uncompressed) says about where its work ran:
 * the master and deploy mode it ran with, its executors and their block-manager addresses (one per JVM), and how
 * many tasks finished on each executor. Spark writes this itself, so it is evidence independent of cvm's output.
 *
 * <p>Reads both layouts: one file per application, and Spark 4's rolling layout (a directory
 * {@code eventlog_v2_<app>} holding {@code events_<n>_<app>} parts).
 */
public record EventLog(Path path, String appId, String master, String deployMode, boolean ended,
                       String driverAddress, Map<String, String> executorAddresses,
                       Map<String, Integer> tasksByExecutor, int unsuccessfulTasks) {

    private static final Pattern EVENTS_PART = Pattern.compile("events_(\\d+)_.*");

    /** The application logs in {@code dir}: single files or rolling-log directories. */
    public static List<Path> appLogs(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list event logs in " + dir, e);
        }
    }

    public static EventLog parse(Path log) {
        Parser p = new Parser();
        for (Path part : Files.isDirectory(log) ? rollingParts(log) : List.of(log)) {
            p.read(part);
        }
        return new EventLog(log, p.appId, p.master, p.deployMode, p.ended, p.driverAddress, p.executors, p.tasks,
                p.unsuccessful);
    }

    public int totalTasks() {
        return tasksByExecutor.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public String toString() {
        return appId + " (" + master + ", " + deployMode + " mode): driver " + driverAddress + ", executors "
                + executorAddresses + ", successful tasks per executor " + tasksByExecutor
                + (unsuccessfulTasks > 0 ? ", " + unsuccessfulTasks + " failed or killed task attempts" : "");
    }

    private static List<Path> rollingParts(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> EVENTS_PART.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(EventLog::partNumber)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static long partNumber(Path p) {
        Matcher m = EVENTS_PART.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : 0L;
    }

    /** Accumulates the events of one application over its log parts. */
    private static final class Parser {
        private final ObjectMapper json = new ObjectMapper();
        String appId;
        String master;
        String deployMode;
        boolean ended;
        String driverAddress;
        final Map<String, String> executors = new TreeMap<>();
        final Map<String, Integer> tasks = new TreeMap<>();
        int unsuccessful;

        void read(Path file) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.isBlank()) {
                        event(json.readTree(line));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read event log " + file, e);
            }
        }

        private void event(JsonNode e) {
            switch (e.path("Event").asText()) {
                case "SparkListenerApplicationStart" -> appId = e.path("App ID").asText(null);
                case "SparkListenerEnvironmentUpdate" -> {
                    JsonNode props = e.path("Spark Properties");
                    master = props.path("spark.master").asText(null);
                    deployMode = props.path("spark.submit.deployMode").asText(null);
                }
                case "SparkListenerBlockManagerAdded" -> {
                    // One block manager per JVM: its host:port tells the JVMs apart.
                    JsonNode id = e.path("Block Manager ID");
                    String address = id.path("Host").asText() + ":" + id.path("Port").asText();
                    String executor = id.path("Executor ID").asText();
                    if (executor.equals("driver")) {
                        driverAddress = address;
                    } else {
                        executors.put(executor, address);
                    }
                }
                case "SparkListenerExecutorAdded" -> executors.putIfAbsent(e.path("Executor ID").asText(), "?");
                case "SparkListenerTaskEnd" -> {
                    if ("Success".equals(e.path("Task End Reason").path("Reason").asText())) {
                        tasks.merge(e.path("Task Info").path("Executor ID").asText(), 1, Integer::sum);
                    } else {
                        unsuccessful++;
                    }
                }
                case "SparkListenerApplicationEnd" -> ended = true;
                default -> { }
            }
        }
    }
}
