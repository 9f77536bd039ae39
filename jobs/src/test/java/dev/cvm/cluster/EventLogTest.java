package dev.cvm.cluster;

import dev.cvm.testing.SparkTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The distribution check reads Spark's event log the way Spark writes it, and fails runs that were not spread out. */
class EventLogTest {
    private static String start() {
        return String.join("\n",
                "{\"Event\":\"SparkListenerLogStart\",\"Spark Version\":\"4.1.0\"}",
                "{\"Event\":\"SparkListenerBlockManagerAdded\",\"Block Manager ID\":{\"Executor ID\":\"driver\","
                        + "\"Host\":\"127.0.0.1\",\"Port\":40001},\"Maximum Memory\":1}",
                "{\"Event\":\"SparkListenerEnvironmentUpdate\",\"Spark Properties\":{\"spark.master\":"
                        + "\"spark://127.0.0.1:7077\",\"spark.submit.deployMode\":\"client\"}}",
                "{\"Event\":\"SparkListenerApplicationStart\",\"App Name\":\"cvm\",\"App ID\":\"app-1\"}",
                executor("0", 40002), executor("1", 40003)) + "\n";
    }

    private static String executor(String id, int port) {
        return "{\"Event\":\"SparkListenerExecutorAdded\",\"Executor ID\":\"" + id + "\",\"Executor Info\":"
                + "{\"Host\":\"127.0.0.1\",\"Total Cores\":1}}\n"
                + "{\"Event\":\"SparkListenerBlockManagerAdded\",\"Block Manager ID\":{\"Executor ID\":\"" + id
                + "\",\"Host\":\"127.0.0.1\",\"Port\":" + port + "}}";
    }

    private static String task(String executor, String reason) {
        return "{\"Event\":\"SparkListenerTaskEnd\",\"Stage ID\":0,\"Task End Reason\":{\"Reason\":\"" + reason
                + "\"},\"Task Info\":{\"Task ID\":1,\"Executor ID\":\"" + executor + "\",\"Host\":\"127.0.0.1\"}}\n";
    }

    private static final String END = "{\"Event\":\"SparkListenerApplicationEnd\",\"Timestamp\":1}\n";

    @Test
    void readsExecutorsAndTasksFromARollingLog(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("eventlog_v2_app-1"));
        Files.writeString(dir.resolve("events_1_app-1"), start() + task("0", "Success"));
        Files.writeString(dir.resolve("events_2_app-1"), task("1", "Success") + task("1", "Success")
                + task("1", "TaskKilled") + END);
        Files.writeString(dir.resolve("appstatus_app-1"), "");

        EventLog log = EventLog.parse(EventLog.appLogs(tmp).get(0));
        assertEquals("app-1", log.appId());
        assertEquals("spark://127.0.0.1:7077", log.master());
        assertEquals("client", log.deployMode());
        assertEquals("127.0.0.1:40001", log.driverAddress());
        assertEquals(Map.of("0", "127.0.0.1:40002", "1", "127.0.0.1:40003"), log.executorAddresses());
        assertEquals(Map.of("0", 1, "1", 2), log.tasksByExecutor());
        assertEquals(1, log.unsuccessfulTasks());
        assertTrue(log.ended());
    }

    @Test
    void theVerifierRejectsWorkThatRanOnOneExecutorOrInTheDriver(@TempDir Path work) throws IOException {
        Files.writeString(work.resolve("modes.txt"), "local\nclient\n");
        Files.writeString(work.resolve("runs.tsv"), "local\t01-x\t1\tok\nclient\t01-x\t1\tok\n");
        Path events = Files.createDirectories(work.resolve("client/events/01-x"));
        Files.writeString(events.resolve("app-1"), start() + task("0", "Success") + task("driver", "Success") + END);

        ClusterRunVerifier.Result r = ClusterRunVerifier.verify(SparkTestSupport.spark(), work);
        List<String> problems = new ArrayList<>(r.problems());
        assertTrue(problems.stream().anyMatch(p -> p.contains("tasks ran on 1 executor(s), expected at least 2")),
                r.describe());
        assertTrue(problems.stream().anyMatch(p -> p.contains("1 tasks ran in the driver")), r.describe());
        assertTrue(problems.stream().anyMatch(p -> p.contains("no Delta tables")), r.describe());
    }
}
