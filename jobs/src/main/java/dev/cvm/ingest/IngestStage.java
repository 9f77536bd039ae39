package dev.cvm.ingest;

import dev.cvm.CvmException;
import dev.cvm.config.CvmConfig;
import dev.cvm.config.VolumeCheckSettings;
import dev.cvm.contract.ContractSchemas;
import dev.cvm.contract.DatasetSpec;
import dev.cvm.contract.InputContract;
import dev.cvm.pipeline.Concurrently;
import dev.cvm.pipeline.StepLog;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * {@code cvm ingest}: checks every raw dataset against the contract and writes valid rows to their Delta table and
 * the rest to {@code quarantine}, with the reason. Everything is validated before anything is written, so a run that
 * fails (bad schema, too many bad rows) leaves the previous output of every table untouched.
 */
public final class IngestStage {
    /** Datasets a deployment must deliver; the others may be absent and are then ingested as empty. */
    public static final Set<String> REQUIRED = Set.of("accounts", "transactions");

    public static final StructType QUARANTINE_SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("dataset", DataTypes.StringType, false),
            DataTypes.createStructField("source_file", DataTypes.StringType, true),
            DataTypes.createStructField("rule", DataTypes.StringType, false),
            DataTypes.createStructField("column", DataTypes.StringType, true),
            DataTypes.createStructField("raw_row", DataTypes.StringType, true)));

    private final SparkSession spark;
    private final CvmConfig config;
    private final Warehouse warehouse;
    private final StepLog log;

    private final VolumeCheckSettings volumeCheck;

    public IngestStage(CvmConfig config, Warehouse warehouse, StepLog log) {
        this(config, warehouse, log, false);
    }

    /** @param acceptVolumeChange this run only, a volume anomaly is logged instead of failing the run */
    public IngestStage(CvmConfig config, Warehouse warehouse, StepLog log, boolean acceptVolumeChange) {
        this.spark = warehouse.spark();
        this.config = config;
        this.warehouse = warehouse;
        this.log = log;
        VolumeCheckSettings v = config.ingest().volumeCheck();
        this.volumeCheck = acceptVolumeChange && v.action() == VolumeCheckSettings.Action.FAIL
                ? v.withAction(VolumeCheckSettings.Action.WARN) : v;
    }

    /** The input root of {@code runDate}: cvm.input.root with {run_date} filled in. */
    public String inputRoot(LocalDate runDate) {
        return config.inputRoot().replace("{run_date}", runDate.toString());
    }

    public String inputDir(LocalDate runDate, DatasetSpec spec) {
        return inputRoot(runDate) + "/" + spec.name();
    }

    public List<DatasetOutcome> run(LocalDate runDate) {
        Map<DatasetSpec, DatasetIngest.Flagged> flagged = new LinkedHashMap<>();
        Map<String, Dataset<Row>> validKeys = new HashMap<>();
        List<DatasetOutcome> outcomes = new ArrayList<>();
        requireInputRoot(runDate);
        try {
            for (DatasetSpec spec : InputContract.ALL) {
                DatasetOutcome outcome = validate(spec, runDate, flagged, validKeys);
                outcomes.add(outcome);
            }
            failOnTooMuchQuarantine(outcomes);
            checkVolume(runDate, outcomes);
            write(runDate, flagged);
            return outcomes;
        } finally {
            flagged.values().stream().filter(java.util.Objects::nonNull).forEach(f -> f.rows().unpersist());
        }
    }

    /** A run date without a delivery is one message about the root, not one per dataset. */
    private void requireInputRoot(LocalDate runDate) {
        String root = inputRoot(runDate);
        if (!InputFiles.exists(spark, root)) {
            throw new CvmException("no input for run date " + runDate + ": " + root + " does not exist (cvm.input.root = "
                    + config.inputRoot() + "). Check that the delivery for " + runDate
                    + " arrived, or run with the --run-date of a delivered date");
        }
    }

    private DatasetOutcome validate(DatasetSpec spec, LocalDate runDate,
                                    Map<DatasetSpec, DatasetIngest.Flagged> flagged,
                                    Map<String, Dataset<Row>> validKeys) {
        String dir = inputDir(runDate, spec);
        List<String> files = InputFiles.list(spark, dir);
        if (files == null || files.isEmpty()) {
            if (REQUIRED.contains(spec.name())) {
                throw new CvmException("dataset " + spec.name() + ": no input at " + dir
                        + (files == null ? " (directory missing)" : " (no data files)")
                        + "; it is required (see docs/data-contract.md): deliver it under cvm.input.root = "
                        + config.inputRoot());
            }
            log.info("  %-42s absent at %s: ingested as empty", spec.name(), dir);
            Dataset<Row> empty = spark.createDataFrame(List.of(), ContractSchemas.of(spec));
            flagged.put(spec, null);
            registerKeys(spec, empty, validKeys);
            return new DatasetOutcome(spec.name(), false, 0, 0, Map.of());
        }
        SchemaCheck.Result shape = SchemaCheck.check(spark, spec, files, config.ingest().failOnExtraColumns());
        if (!shape.extraColumns().isEmpty()) {
            log.info("  %-42s ignoring columns not in the contract: %s", spec.name(), shape.extraColumns());
        }
        DatasetIngest.Flagged checked = DatasetIngest.flag(spark, spec, files, shape.physical(), runDate,
                config.ingest(), validKeys).persist();
        flagged.put(spec, checked);
        Dataset<Row> df = checked.rows();
        Map<String, Long> byRule = new TreeMap<>();
        long[] total = {0};
        try {
            log.step("validate " + spec.name(), () -> {
                for (Row r : df.groupBy(col(DatasetIngest.VIOLATION + ".rule").as("rule")).count().collectAsList()) {
                    total[0] += r.getLong(1);
                    if (!r.isNullAt(0)) {
                        byRule.put(r.getString(0), r.getLong(1));
                    }
                }
                return total[0];
            });
        } catch (CvmException e) {
            throw e;
        } catch (Exception e) {
            // SparkException is checked in Java's eyes but thrown from Scala all the same.
            throw damagedFile(spec, files, e).orElseGet(() -> e instanceof RuntimeException re ? re
                    : new IllegalStateException("validating " + spec.name() + " failed: " + e.getMessage(), e));
        }
        if (total[0] == 0 && REQUIRED.contains(spec.name())) {
            throw new CvmException("dataset " + spec.name() + " at " + dir + " has no rows; it is required: check the "
                    + "export that writes it (see docs/data-contract.md)");
        }
        Dataset<Row> valid = df.where(col(DatasetIngest.VIOLATION).isNull());
        registerKeys(spec, valid, validKeys);
        long quarantined = byRule.values().stream().mapToLong(Long::longValue).sum();
        return new DatasetOutcome(spec.name(), true, total[0], total[0] - quarantined, byRule);
    }

    /**
     * A footer can be intact while a data page is damaged: when Spark's failure names one of the dataset's files,
     * say so; anything else is not a file problem and is passed on as it is.
     */
    private static java.util.Optional<RuntimeException> damagedFile(DatasetSpec spec, List<String> files,
                                                                    Exception e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = String.valueOf(t.getMessage());
            java.util.Optional<String> file = files.stream()
                    .filter(f -> m.contains(f) || m.contains(new org.apache.hadoop.fs.Path(f).getName())).findFirst();
            if (file.isPresent()) {
                return java.util.Optional.of(new CvmException("dataset " + spec.name() + ": reading input file "
                        + file.get() + " failed (" + SchemaCheck.rootMessage(e)
                        + "); replace or remove the damaged file and re-run", e));
            }
        }
        return java.util.Optional.empty();
    }

    /** Children check their references against the parent's valid keys (single-column keys only). */
    private static void registerKeys(DatasetSpec spec, Dataset<Row> valid, Map<String, Dataset<Row>> validKeys) {
        if (spec.key().size() == 1) {
            String k = spec.key().get(0);
            validKeys.put(spec.name() + "." + k, valid.select(col(k)));
        }
    }

    private void failOnTooMuchQuarantine(List<DatasetOutcome> outcomes) {
        double max = config.ingest().maxQuarantineShare();
        List<String> failures = new ArrayList<>();
        for (DatasetOutcome o : outcomes) {
            if (o.quarantineShare() > max) {
                failures.add(String.format(Locale.ROOT, "%s: %d of %d rows (%.1f%%) broke rules %s",
                        o.dataset(), o.quarantined(), o.input(), 100 * o.quarantineShare(), o.quarantinedByRule()));
            }
        }
        if (!failures.isEmpty()) {
            throw new CvmException(String.format(Locale.ROOT,
                    "ingest stopped: quarantined share above cvm.ingest.max-quarantine-share = %.1f%% for %s. "
                            + "Nothing was written; fix the input (or raise the threshold) and re-run",
                    100 * max, String.join("; ", failures)));
        }
    }

    private void checkVolume(LocalDate runDate, List<DatasetOutcome> outcomes) {
        List<VolumeCheck.Anomaly> anomalies = VolumeCheck.check(warehouse, runDate, InputContract.ALL, outcomes,
                volumeCheck);
        if (anomalies.isEmpty()) {
            return;
        }
        String found = anomalies.stream().map(VolumeCheck.Anomaly::describe)
                .collect(java.util.stream.Collectors.joining("; "));
        if (volumeCheck.action() == VolumeCheckSettings.Action.WARN) {
            log.info("  WARNING volume anomaly (cvm.ingest.volume-check.action = warn or --accept-volume-change): %s",
                    found);
            return;
        }
        throw new CvmException("ingest stopped by the volume check: " + found + ". Nothing was written. If the input "
                + "is wrong, fix the delivery and re-run; if the change is real, re-run with `cvm ingest "
                + "--accept-volume-change` (this run only) or set cvm.ingest.volume-check.action = warn "
                + "(env CONFIG_FORCE_cvm_ingest_volume__check_action=warn)");
    }

    /**
     * Writes the valid rows of every dataset (cvm.spark.parallel-steps tables at a time: each is its own Delta
     * transaction), then the quarantine. If a write fails, the others still finish and the failure is rethrown.
     */
    private void write(LocalDate runDate, Map<DatasetSpec, DatasetIngest.Flagged> flagged) {
        List<Optional<Dataset<Row>>> quarantine = Concurrently.map(List.copyOf(flagged.entrySet()),
                config.spark().parallelSteps(), e -> write(runDate, e.getKey(), e.getValue()));
        Dataset<Row> all = quarantine.stream().flatMap(Optional::stream).reduce(Dataset::unionByName)
                .orElseGet(() -> spark.createDataFrame(List.of(), QUARANTINE_SCHEMA));
        log.step("write " + Table.QUARANTINE.tableName(), () -> warehouse.replaceRunDate(Table.QUARANTINE, all, runDate));
    }

    /** Writes one dataset's valid rows (empty for an absent dataset); returns its quarantine rows, if it was read. */
    private Optional<Dataset<Row>> write(LocalDate runDate, DatasetSpec spec, DatasetIngest.Flagged checked) {
        if (checked == null) {
            warehouse.replaceRunDate(spec.table(), spark.createDataFrame(List.of(), ContractSchemas.of(spec)), runDate);
            return Optional.empty();
        }
        Dataset<Row> df = checked.rows();
        Column[] cols = spec.columnNames().stream().map(n -> col(n)).toArray(Column[]::new);
        log.step("write " + spec.table().tableName(), () ->
                warehouse.replaceRunDate(spec.table(), df.where(col(DatasetIngest.VIOLATION).isNull()).select(cols),
                        runDate));
        return Optional.of(df.where(col(DatasetIngest.VIOLATION).isNotNull()).select(
                lit(spec.name()).as("dataset"), col(DatasetIngest.SOURCE_FILE).as("source_file"),
                col(DatasetIngest.VIOLATION + ".rule").as("rule"),
                col(DatasetIngest.VIOLATION + ".column").as("column"),
                checked.rawRow().as("raw_row")));
    }
}
