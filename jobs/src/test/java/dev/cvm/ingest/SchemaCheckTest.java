package dev.cvm.ingest;

import dev.cvm.contract.ContractSchemas;
import dev.cvm.contract.InputContract;
import dev.cvm.testing.SparkTestSupport;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static dev.cvm.testing.Fixtures.d;
import static dev.cvm.testing.Fixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The schema check reads footers on the driver: the schema Spark's reader infers, and no Spark job per file. */
class SchemaCheckTest {
    @TempDir
    Path tmp;

    @Test
    void readsEveryFootersSchemaWithoutASparkJob() throws Exception {
        SparkSession spark = SparkTestSupport.spark();
        String dir = tmp.resolve("accounts").toString();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(row("A" + i, "C" + i, d("2020-01-01"), null, "basic", "north", "web", 20.0 + i));
        }
        spark.createDataFrame(rows, ContractSchemas.of(InputContract.ACCOUNTS)).repartition(4).write().parquet(dir);
        List<String> files;
        try (Stream<Path> s = Files.list(Path.of(dir))) {
            files = s.map(Path::toString).filter(f -> f.endsWith(".parquet")).sorted().toList();
        }
        assertEquals(4, files.size());

        AtomicInteger jobs = new AtomicInteger();
        CountDownLatch markerDone = new CountDownLatch(1);
        SparkListener counter = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart start) {
                if (!"schema-check-marker".equals(start.properties().getProperty("spark.job.description"))) {
                    jobs.incrementAndGet();
                }
            }

            @Override
            public void onJobEnd(SparkListenerJobEnd end) {
                markerDone.countDown(); // the marker is the last job: events arrive in order
            }
        };
        spark.sparkContext().addSparkListener(counter);
        SchemaCheck.Result result;
        try {
            result = SchemaCheck.check(spark, InputContract.ACCOUNTS, files, true);
            spark.sparkContext().setJobDescription("schema-check-marker");
            spark.range(1).count();
            spark.sparkContext().setJobDescription(null);
            assertTrue(markerDone.await(60, TimeUnit.SECONDS), "the marker job's end never reached the listener");
        } finally {
            spark.sparkContext().removeSparkListener(counter);
        }

        assertEquals(0, jobs.get(), "Spark jobs started by the schema check of " + files.size() + " files");
        assertEquals(spark.read().parquet(dir).schema(), result.physical());
        assertTrue(result.extraColumns().isEmpty());
    }
}
