package dev.cvm.reliability;

import dev.cvm.cluster.TableChecksums;
import dev.cvm.testing.SparkTestSupport;
import dev.cvm.warehouse.FaultInjection;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What the failure and re-run tests look at: content checksums, Delta versions, files no commit refers to. */
final class Reliability {
    private Reliability() {}

    /** Runs {@code body} with the fault-injection hook set to {@code spec}, and always unsets it. */
    static void withFault(String spec, Runnable body) {
        System.setProperty(FaultInjection.PROPERTY, spec);
        try {
            body.run();
        } finally {
            System.clearProperty(FaultInjection.PROPERTY);
        }
    }

    static Map<String, TableChecksums.Checksum> checksums(Warehouse warehouse) {
        return TableChecksums.ofWarehouse(SparkTestSupport.spark(), Paths.get(warehouse.root()));
    }

    /** The entries of one run date ("table run_date=D"). */
    static Map<String, TableChecksums.Checksum> ofDate(Map<String, TableChecksums.Checksum> all, LocalDate date) {
        return new TreeMap<>(all.entrySet().stream().filter(e -> e.getKey().endsWith(" run_date=" + date))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    /** The table's latest commit: the highest numbered file in its _delta_log (no Spark job needed). */
    static long version(Warehouse warehouse, Table table) {
        try (Stream<Path> log = Files.list(Paths.get(warehouse.path(table), "_delta_log"))) {
            return log.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9]{20}\\.json"))
                    .mapToLong(n -> Long.parseLong(n.substring(0, 20))).max().orElse(-1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checksums of some tables only ("table run_date=D" entries). */
    static Map<String, TableChecksums.Checksum> checksums(Warehouse warehouse, Table... tables) {
        Map<String, org.apache.spark.sql.Dataset<org.apache.spark.sql.Row>> read = new TreeMap<>();
        for (Table t : tables) {
            read.put(t.tableName(), warehouse.read(t));
        }
        return TableChecksums.of(read);
    }

    /** Parquet files in the table directory that the current Delta snapshot does not contain. */
    static Set<Path> unreferencedFiles(Warehouse warehouse, Table table) {
        Set<Path> referenced = Stream.of(SparkTestSupport.spark().read().format("delta").load(warehouse.path(table))
                .inputFiles()).map(f -> Paths.get(URI.create(f))).collect(Collectors.toSet());
        try (Stream<Path> files = Files.walk(Paths.get(warehouse.path(table)))) {
            return files.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log"))
                    .filter(p -> !referenced.contains(p)).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
