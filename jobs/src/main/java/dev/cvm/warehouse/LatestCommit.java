package dev.cvm.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The operation metrics of a Delta table's latest commit, read on the driver from the newest commit file
 * ({@code _delta_log/<version>.json}, whose {@code commitInfo} action is what {@code DESCRIBE HISTORY} shows).
 * {@code DeltaTable.history(1)} returns the same, but runs a Spark job to read one small file: on a cluster, a round
 * trip to an executor after every write.
 */
final class LatestCommit {
    private static final Pattern COMMIT_FILE = Pattern.compile("\\d{20}\\.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private LatestCommit() {}

    /** The latest commit's operationMetrics; empty when the log has no commit file with a commitInfo action. */
    static Optional<Map<String, String>> operationMetrics(SparkSession spark, String tablePath) {
        try {
            Path log = new Path(tablePath, "_delta_log");
            FileSystem fs = log.getFileSystem(spark.sessionState().newHadoopConf());
            Path latest = null;
            // Zero-padded versions: the greatest name is the newest commit.
            for (FileStatus f : fs.listStatus(log, p -> COMMIT_FILE.matcher(p.getName()).matches())) {
                if (latest == null || f.getPath().getName().compareTo(latest.getName()) > 0) {
                    latest = f.getPath();
                }
            }
            if (latest == null) {
                return Optional.empty();
            }
            try (BufferedReader in =
                         new BufferedReader(new InputStreamReader(fs.open(latest), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    JsonNode commitInfo = JSON.readTree(line).path("commitInfo");
                    if (commitInfo.isObject()) {
                        Map<String, String> metrics = new LinkedHashMap<>();
                        commitInfo.path("operationMetrics").fields()
                                .forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().asText()));
                        return Optional.of(metrics);
                    }
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // the caller falls back to Delta's own history
        }
    }
}
