package dev.cvm.ingest;

import dev.cvm.CvmException;
import dev.cvm.cli.CvmCli;
import dev.cvm.config.CvmConfig;
import dev.cvm.config.VolumeCheckSettings;
import dev.cvm.contract.ContractSchemas;
import dev.cvm.contract.DatasetSpec;
import dev.cvm.contract.InputContract;
import dev.cvm.pipeline.StepLog;
import dev.cvm.testing.SparkTestSupport;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.cvm.testing.Fixtures.d;
import static dev.cvm.testing.Fixtures.row;
import static dev.cvm.testing.Fixtures.ts;
import static dev.cvm.testing.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rows of docs/bad-input.md that no older test proves. Failures are checked before anything is written (cheap);
 * the quarantine and warning rows share one successful ingest built in {@link #ingestFixture()}.
 */
class BadInputCatalogueTest {
    static final LocalDate RUN = d("2025-06-30");
    static final LocalDate PREV = d("2025-06-29");

    @TempDir
    static Path shared;
    static Warehouse fixtureWarehouse;
    static String fixtureLog;
    static Map<String, String> quarantinedBy;

    /**
     * One ingest that succeeds with: optional columns missing, zoned and zone-less timestamps, an out-of-range day
     * count, and accounts three times yesterday's count under max-growth = 2 with --accept-volume-change.
     */
    @BeforeAll
    static void ingestFixture() {
        Path in = shared.resolve("in");
        StructType accountsWithoutOptional = DataTypes.createStructType(List.of(
                DataTypes.createStructField("account_id", DataTypes.StringType, true),
                DataTypes.createStructField("customer_id", DataTypes.StringType, true),
                DataTypes.createStructField("open_date", DataTypes.DateType, true),
                DataTypes.createStructField("plan", DataTypes.StringType, true)));
        write(in, "accounts", accountsWithoutOptional, List.of(row("A1", "C1", d("2020-01-01"), "basic"),
                row("A2", "C2", d("2020-01-01"), "basic"), row("A3", "C3", d("2020-01-01"), "plus")));
        write(in, InputContract.TRANSACTIONS,
                // 23:30 at UTC-2 on the run date is 01:30 UTC the next day: after the run date.
                row("Z1", "A1", OffsetDateTime.parse("2025-06-30T23:30:00-02:00").toInstant(), 10.0, null, null),
                // 00:30 at UTC+2 the day after is 22:30 UTC on the run date: kept.
                row("Z2", "A1", OffsetDateTime.parse("2025-07-01T00:30:00+02:00").toInstant(), 10.0, null, null));
        StructType ntzEvents = DataTypes.createStructType(List.of(
                DataTypes.createStructField("event_id", DataTypes.StringType, true),
                DataTypes.createStructField("account_id", DataTypes.StringType, true),
                DataTypes.createStructField("event_ts", DataTypes.TimestampNTZType, true),
                DataTypes.createStructField("event_type", DataTypes.StringType, true)));
        write(in, "support_events", ntzEvents, List.of(
                row("E1", "A1", LocalDateTime.parse("2025-06-30T23:30:00"), "complaint"),
                row("E2", "A1", LocalDateTime.parse("2025-07-01T00:30:00"), "complaint")));
        write(in, InputContract.USAGE, row("A1", d("2025-05-01"), 3.0, 40L), row("A2", d("2025-05-01"), 3.0, 31L));

        CvmConfig config = SparkTestSupport.config(shared.resolve("wh"), in, "cvm.ingest.max-quarantine-share = 1.0\n"
                + "cvm.ingest.volume-check { max-growth = 2, min-rows = 0 }");
        fixtureWarehouse = SparkTestSupport.warehouse(config);
        seed(fixtureWarehouse, InputContract.ACCOUNTS, PREV, row("A1", "C1", d("2020-01-01"), null, "basic", null,
                null, null));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        StepLog log = new StepLog(new PrintStream(buf, true, StandardCharsets.UTF_8));
        new IngestStage(config, fixtureWarehouse, log, true).run(RUN);
        fixtureLog = buf.toString(StandardCharsets.UTF_8);
        quarantinedBy = fixtureWarehouse.readRunDate(Table.QUARANTINE, RUN, "ingest").collectAsList().stream()
                .collect(Collectors.toMap(r -> r.<String>getAs("raw_row").replaceAll("^\\{\"[a-z_]+\":\"([^\"]*)\".*$",
                        "$1") + "/" + r.getAs("dataset"), r -> r.getAs("rule") + ":" + r.getAs("column"),
                        (a, b) -> a + "," + b));
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static void goodInput(Path in) {
        write(in, InputContract.ACCOUNTS, row("A1", "C1", d("2020-01-01"), null, "basic", null, null, null));
        write(in, InputContract.TRANSACTIONS, row("T1", "A1", ts("2025-01-01"), 10.0, null, null));
    }

    private static CvmException ingestFails(Path tmp, Path in, String extraConf) {
        CvmConfig config = SparkTestSupport.config(tmp.resolve("wh"), in, extraConf);
        Warehouse wh = SparkTestSupport.warehouse(config);
        CvmException e = assertThrows(CvmException.class,
                () -> new IngestStage(config, wh, SparkTestSupport.log()).run(RUN));
        assertEquals(1, e.exitCode(), e.getMessage());
        return e;
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "message should mention '" + p + "': " + message);
        }
    }

    /** Writes valid rows straight into a table at {@code date}, standing in for an earlier night's ingest. */
    private static void seed(Warehouse wh, DatasetSpec spec, LocalDate date, Row... rows) {
        wh.replaceRunDate(spec.table(), SparkTestSupport.spark().createDataFrame(Arrays.asList(rows),
                ContractSchemas.of(spec)), date);
    }

    private static Row[] transactions(int n) {
        return IntStream.range(0, n).mapToObj(i -> row("T" + i, "A1", ts("2025-01-01"), 10.0, null, null))
                .toArray(Row[]::new);
    }

    private static Path onlyPart(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
    }

    private static CvmException configFails(String hocon) {
        CvmException e = assertThrows(CvmException.class, () -> CvmConfig.parse(hocon));
        assertEquals(2, e.exitCode(), e.getMessage());
        return e;
    }

    // ---- files and directories -----------------------------------------------------------------------------

    @Test
    void runDateWithoutDeliveryNamesTheDirectoryAndTheRoot(@TempDir Path tmp) throws IOException {
        Path in = tmp.resolve("landing");
        goodInput(in.resolve("2025-06-29"));
        CvmException e = ingestFails(tmp, Path.of(in + "/{run_date}"), null);
        assertMentions(e.getMessage(), "no input for run date 2025-06-30", in.resolve("2025-06-30").toString(),
                "cvm.input.root = " + in + "/{run_date}", "--run-date");
    }

    @Test
    void runDateWithoutDeliveryIsOneLineWithExitCode1OnTheCommandLine(@TempDir Path tmp) throws IOException {
        SparkTestSupport.spark();
        Path conf = tmp.resolve("cvm.conf");
        Files.writeString(conf, "cvm { spark { master = \"local[2]\" }, warehouse = \"" + tmp.resolve("wh")
                + "\", input.root = \"" + tmp.resolve("nowhere") + "/{run_date}\" }\n");
        CommandLine cl = CvmCli.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        PrintStream old = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        int code;
        try {
            code = cl.execute("ingest", "--run-date", "2025-06-30", "--conf", conf.toString());
        } finally {
            System.setOut(old);
        }
        assertEquals(1, code, err.toString());
        assertTrue(err.toString().startsWith("cvm: error: no input for run date 2025-06-30"), err.toString());
        assertEquals(1, err.toString().lines().count(), "one line, no stack trace: " + err);
    }

    @Test
    void datasetDirectoryWithoutDataFilesIsAnError(@TempDir Path tmp) throws IOException {
        Path in = tmp.resolve("in");
        write(in, InputContract.ACCOUNTS, row("A1", "C1", d("2020-01-01"), null, "basic", null, null, null));
        Files.createDirectories(in.resolve("transactions"));
        Files.writeString(in.resolve("transactions/_SUCCESS"), "");
        CvmException e = ingestFails(tmp, in, null);
        assertMentions(e.getMessage(), "dataset transactions: no input at", "(no data files)", "cvm.input.root");
    }

    @Test
    void requiredDatasetWithZeroRowsIsAnError(@TempDir Path tmp) {
        Path in = tmp.resolve("in");
        goodInput(in);
        write(in, InputContract.ACCOUNTS);
        CvmException e = ingestFails(tmp, in, null);
        assertMentions(e.getMessage(), "dataset accounts at", "has no rows; it is required");
    }

    @Test
    void datasetPathThatIsAFileIsAnError(@TempDir Path tmp) throws IOException {
        Path in = tmp.resolve("in");
        write(in, InputContract.ACCOUNTS, row("A1", "C1", d("2020-01-01"), null, "basic", null, null, null));
        Files.writeString(in.resolve("transactions"), "T1,A1,2025-01-01,10\n");
        CvmException e = ingestFails(tmp, in, null);
        assertMentions(e.getMessage(), in.resolve("transactions") + " is a file", "directory of Parquet files");
    }

    @Test
    void truncatedParquetFileIsNamed(@TempDir Path tmp) throws IOException {
        Path in = tmp.resolve("in");
        goodInput(in);
        byte[] whole = Files.readAllBytes(onlyPart(in.resolve("transactions")));
        Path cut = in.resolve("transactions/part-99998-truncated.parquet");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        CvmException e = ingestFails(tmp, in, null);
        assertMentions(e.getMessage(), "part-99998-truncated.parquet", "not a readable Parquet file",
                "replace or remove it");
    }

    @Test
    void zeroByteParquetFileIsNamed(@TempDir Path tmp) throws IOException {
        Path in = tmp.resolve("in");
        goodInput(in);
        Files.write(in.resolve("accounts/part-99997-empty.parquet"), new byte[0]);
        CvmException e = ingestFails(tmp, in, null);
        assertMentions(e.getMessage(), "part-99997-empty.parquet", "not a readable Parquet file");
    }

    @Test
    void damagedDataPageBehindAnIntactFooterIsNamed(@TempDir Path tmp) throws IOException {
        Path in = tmp.resolve("in");
        write(in, InputContract.ACCOUNTS, row("A1", "C1", d("2020-01-01"), null, "basic", null, null, null));
        write(in, InputContract.TRANSACTIONS, IntStream.range(0, 3000).mapToObj(i -> row("T" + (i * 7919L % 100_003),
                "A1", ts("2025-01-01"), i * 1.37, "p" + (i * 31 % 97), null)).toArray(Row[]::new));
        Path part = onlyPart(in.resolve("transactions"));
        byte[] bytes = Files.readAllBytes(part);
        // Overwrite a stretch in the first column chunk; the footer at the end stays readable.
        Arrays.fill(bytes, 40, 240, (byte) 0x7f);
        Files.write(part, bytes);
        CvmException e = ingestFails(tmp, in, null);
        assertMentions(e.getMessage(), "dataset transactions: reading input file", part.getFileName().toString(),
                "replace or remove the damaged file");
    }

    // ---- shape -------------------------------------------------------------------------------------------

    @Test
    void timestampAsTextWithOffsetIsAWrongType(@TempDir Path tmp) {
        Path in = tmp.resolve("in");
        goodInput(in);
        StructType textTs = DataTypes.createStructType(List.of(
                DataTypes.createStructField("transaction_id", DataTypes.StringType, true),
                DataTypes.createStructField("account_id", DataTypes.StringType, true),
                DataTypes.createStructField("transaction_ts", DataTypes.StringType, true),
                DataTypes.createStructField("amount", DataTypes.DoubleType, true)));
        write(in, "transactions", textTs, List.<Row>of(row("T1", "A1", "2025-06-30T10:00:00+02:00", 1.0)));
        CvmException e = ingestFails(tmp, in, null);
        assertMentions(e.getMessage(), "dataset transactions, file", "column 'transaction_ts' has type string",
                "expected timestamp", "fix the export");
    }

    @Test
    void filesOfOneDatasetWithDifferentTypesAreAnError(@TempDir Path tmp) throws IOException {
        Path in = tmp.resolve("in");
        goodInput(in);
        StructType intAmount = DataTypes.createStructType(List.of(
                DataTypes.createStructField("transaction_id", DataTypes.StringType, true),
                DataTypes.createStructField("account_id", DataTypes.StringType, true),
                DataTypes.createStructField("transaction_ts", DataTypes.TimestampType, true),
                DataTypes.createStructField("amount", DataTypes.IntegerType, true)));
        write(tmp.resolve("other"), "transactions", intAmount, List.of(row("T2", "A1", ts("2025-01-02"), 5)));
        Files.move(onlyPart(tmp.resolve("other/transactions")), in.resolve("transactions/part-99996-ints.parquet"));
        CvmException e = ingestFails(tmp, in, null);
        assertMentions(e.getMessage(), "dataset transactions: files disagree", "amount:double", "amount:int",
                "part-99996-ints.parquet", "one schema");
    }

    // ---- rows ----------------------------------------------------------------------------------------------

    @Test
    void missingOptionalColumnsAreReadAsNull() {
        Row a1 = fixtureWarehouse.readRunDate(Table.ACCOUNTS, RUN, "ingest").where("account_id = 'A1'").first();
        assertNull(a1.getAs("region"));
        assertNull(a1.getAs("monthly_fee"));
        assertEquals(3, fixtureWarehouse.readRunDate(Table.ACCOUNTS, RUN, "ingest").count());
    }

    @Test
    void zonedTimestampsAreJudgedByTheirUtcDate() {
        assertEquals("date_after_run_date:transaction_ts", quarantinedBy.get("Z1/transactions"));
        List<String> kept = fixtureWarehouse.readRunDate(Table.TRANSACTIONS, RUN, "ingest").select("transaction_id")
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        assertEquals(List.of("Z2"), kept);
    }

    @Test
    void timestampsWithoutZoneAreReadAsUtc() {
        assertEquals("date_after_run_date:event_ts", quarantinedBy.get("E2/support_events"));
        Row e1 = fixtureWarehouse.readRunDate(Table.SUPPORT_EVENTS, RUN, "ingest").first();
        assertEquals("E1", e1.getAs("event_id"));
        assertEquals(OffsetDateTime.parse("2025-06-30T23:30:00Z").toInstant(), e1.getAs("event_ts"));
    }

    @Test
    void dayCountOutsideItsScaleIsQuarantined() {
        // usage has no single-column id in raw_row's first field, so look the rule up directly.
        Row r = fixtureWarehouse.readRunDate(Table.QUARANTINE, RUN, "ingest").where("dataset = 'usage'").first();
        assertEquals("out_of_range", r.getAs("rule"));
        assertEquals("active_days", r.getAs("column"));
        assertTrue(r.<String>getAs("raw_row").contains("\"active_days\":40"), r.<String>getAs("raw_row"));
    }

    @Test
    void runDateBeforeTheDeliveryFailsOnQuarantineShare(@TempDir Path tmp) {
        Path in = tmp.resolve("in");
        goodInput(in);
        CvmConfig config = SparkTestSupport.config(tmp.resolve("wh"), in, null);
        Warehouse wh = SparkTestSupport.warehouse(config);
        CvmException e = assertThrows(CvmException.class,
                () -> new IngestStage(config, wh, SparkTestSupport.log()).run(d("2019-01-01")));
        assertMentions(e.getMessage(), "accounts: 1 of 1 rows", "date_after_run_date", "Nothing was written");
        assertFalse(wh.exists(Table.ACCOUNTS));
    }

    // ---- volume anomaly check ------------------------------------------------------------------------------

    @Test
    void datasetFarLargerThanYesterdayFailsBeforeWriting(@TempDir Path tmp) {
        Path in = tmp.resolve("in");
        write(in, InputContract.ACCOUNTS, row("A1", "C1", d("2020-01-01"), null, "basic", null, null, null));
        write(in, InputContract.TRANSACTIONS, transactions(12));
        CvmConfig config = SparkTestSupport.config(tmp.resolve("wh"), in, "cvm.ingest.volume-check.min-rows = 0");
        Warehouse wh = SparkTestSupport.warehouse(config);
        seed(wh, InputContract.ACCOUNTS, PREV, row("A1", "C1", d("2020-01-01"), null, "basic", null, null, null));
        seed(wh, InputContract.TRANSACTIONS, PREV, transactions(1));
        long version = DeltaTable.forPath(SparkTestSupport.spark(), wh.path(Table.TRANSACTIONS)).history(1).first()
                .getLong(0);
        CvmException e = assertThrows(CvmException.class,
                () -> new IngestStage(config, wh, SparkTestSupport.log()).run(RUN));
        assertEquals(1, e.exitCode());
        assertMentions(e.getMessage(), "volume check", "transactions: 12 rows on 2025-06-30 against 1 rows on 2025-06-29",
                "12.0x", "cvm.ingest.volume-check.max-growth = 10", "Nothing was written", "--accept-volume-change",
                "cvm.ingest.volume-check.action = warn");
        assertFalse(e.getMessage().contains("accounts:"), e.getMessage());
        assertEquals(version, DeltaTable.forPath(SparkTestSupport.spark(), wh.path(Table.TRANSACTIONS)).history(1)
                .first().getLong(0), "no new commit");
        assertFalse(wh.hasRunDate(Table.ACCOUNTS, RUN));
    }

    @Test
    void datasetEmptyComparedWithYesterdayFailsBeforeWriting(@TempDir Path tmp) {
        Path in = tmp.resolve("in");
        goodInput(in);
        write(in, InputContract.USAGE);
        CvmConfig config = SparkTestSupport.config(tmp.resolve("wh"), in, "cvm.ingest.volume-check.min-rows = 0");
        Warehouse wh = SparkTestSupport.warehouse(config);
        seed(wh, InputContract.ACCOUNTS, PREV, row("A1", "C1", d("2020-01-01"), null, "basic", null, null, null));
        seed(wh, InputContract.USAGE, PREV, IntStream.range(1, 11)
                .mapToObj(m -> row("A1", d("2024-01-01").plusMonths(m), 1.0, 1L)).toArray(Row[]::new));
        CvmException e = ingestFails(tmp, in, "cvm.ingest.volume-check.min-rows = 0");
        assertMentions(e.getMessage(), "usage: 0 rows on 2025-06-30 against 10 rows on 2025-06-29",
                "below cvm.ingest.volume-check.min-share = 0.1");
        assertFalse(wh.hasRunDate(Table.USAGE, RUN));
    }

    @Test
    void acceptedVolumeChangeIsLoggedAndWritten() {
        assertMentions(fixtureLog, "WARNING volume anomaly", "accounts: 3 rows on 2025-06-30 against 1 rows on 2025-06-29",
                "3.0x");
        assertTrue(fixtureWarehouse.hasRunDate(Table.ACCOUNTS, RUN));
        // What the flag does is the IngestStage argument above; here: `cvm ingest` offers it.
        assertTrue(CvmCli.commandLine().getSubcommands().get("ingest").getCommandSpec()
                .findOption("--accept-volume-change") != null);
    }

    @Test
    void volumeCheckIsSkippedWithoutAnEarlierRunDate(@TempDir Path tmp) {
        CvmConfig config = SparkTestSupport.config(tmp.resolve("wh"), tmp.resolve("in"), null);
        Warehouse wh = SparkTestSupport.warehouse(config);
        assertEquals(Optional.empty(), VolumeCheck.previousRunDate(wh, RUN), "no warehouse yet");
        Row a1 = row("A1", "C1", d("2020-01-01"), null, "basic", null, null, null);
        seed(wh, InputContract.ACCOUNTS, d("2025-07-05"), a1);
        assertEquals(Optional.empty(), VolumeCheck.previousRunDate(wh, RUN), "a backfill: only later dates");
        seed(wh, InputContract.ACCOUNTS, d("2025-06-01"), a1);
        seed(wh, InputContract.ACCOUNTS, PREV, a1);
        assertEquals(Optional.of(PREV), VolumeCheck.previousRunDate(wh, RUN));
    }

    @Test
    void volumeThresholdsIgnoreSmallCountsAndAnEmptyPast() {
        VolumeCheckSettings s = CvmConfig.parse("").ingest().volumeCheck();
        assertEquals(VolumeCheckSettings.Action.FAIL, s.action());
        assertTrue(VolumeCheck.judge("t", PREV, 50, RUN, 900, s).isEmpty(), "both below min-rows 1000");
        assertTrue(VolumeCheck.judge("t", PREV, 0, RUN, 5000, s).isEmpty(), "nothing to compare with");
        assertTrue(VolumeCheck.judge("t", PREV, 1000, RUN, 10_000, s).isEmpty(), "10x is the limit, not beyond");
        assertTrue(VolumeCheck.judge("t", PREV, 1000, RUN, 10_001, s).isPresent());
        assertTrue(VolumeCheck.judge("t", PREV, 1000, RUN, 100, s).isEmpty(), "10% is the limit, not below");
        assertTrue(VolumeCheck.judge("t", PREV, 1000, RUN, 99, s).isPresent());
        assertTrue(VolumeCheck.judge("t", PREV, 1000, RUN, 0, s).isPresent(), "empty against yesterday");
    }

    // ---- configuration -------------------------------------------------------------------------------------

    @Test
    void unknownVolumeCheckKeyIsRejectedByName() {
        assertMentions(configFails("cvm.ingest.volume-check.max-grwoth = 5").getMessage(),
                "cvm.ingest.volume-check.max-grwoth", "reference.conf");
    }

    @Test
    void wrongTypeOfAVolumeSettingNamesTheKey() {
        assertMentions(configFails("cvm.ingest.volume-check.max-growth = lots").getMessage(), "cvm.ingest.volume-check.max-growth");
    }

    @Test
    void impossibleVolumeSettingsNameTheKey() {
        assertMentions(configFails("cvm.ingest.volume-check.max-growth = 0.5").getMessage(),
                "cvm.ingest.volume-check.max-growth must be a number >= 1");
        assertMentions(configFails("cvm.ingest.volume-check.min-share = 2").getMessage(),
                "cvm.ingest.volume-check.min-share must be between 0 and 1");
        assertMentions(configFails("cvm.ingest.volume-check.action = maybe").getMessage(),
                "cvm.ingest.volume-check.action must be fail, warn or off");
    }

    @Test
    void impossibleHorizonNamesTheKey() {
        assertMentions(configFails("cvm.labels.horizon-days = 0").getMessage(), "cvm.labels.horizon-days",
                "between 1 and 3660");
        assertMentions(configFails("cvm.clv.horizon-months = -12").getMessage(), "cvm.clv.horizon-months",
                "positive integer");
    }

    @Test
    void impossibleIngestDateSettingNamesTheKey() {
        assertMentions(configFails("cvm.ingest.min-date = yesterday").getMessage(), "cvm.ingest.min-date",
                "YYYY-MM-DD");
    }
}
