package dev.cvm.segments;

import dev.cvm.pipeline.StepLog;
import dev.cvm.programs.BudgetAllocation;
import dev.cvm.programs.ChannelChoice;
import dev.cvm.programs.ProgramAssignment;
import dev.cvm.programs.ProgramSettings;
import dev.cvm.programs.Suppression;
import dev.cvm.spark.ExactSums;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

/**
 * {@code cvm segment}: value tiers, RFM segments, micro-segments and custom schemes; then one program per account,
 * its channel, and the budget allocation. Writes {@code customer_scores} (one row per account), {@code campaign_targets}
 * and {@code segment_summary} for the run date.
 */
public final class SegmentStage {
    private final Warehouse warehouse;
    private final SegmentSettings segments;
    private final ProgramSettings programs;
    private final StepLog log;

    public SegmentStage(Warehouse warehouse, SegmentSettings segments, ProgramSettings programs, StepLog log) {
        this.warehouse = warehouse;
        this.segments = segments;
        this.programs = programs;
        this.log = log;
    }

    public record ProgramOutcome(String program, long accounts, long targeted, double budget, double spend,
                                 double expectedValue) {
        public double roi() {
            return spend == 0 ? 0 : (expectedValue - spend) / spend;
        }
    }

    public record Result(long scores, long targets, List<Row> tiers, List<ProgramOutcome> programs, int k) {}

    public Result run(LocalDate runDate) {
        Dataset<Row> record = ScoredRecord.load(warehouse, runDate, programs);
        Dataset<Row> contacts = warehouse.readRunDate(Table.CAMPAIGN_CONTACTS, runDate, "ingest")
                .where(col("sent_date").lt(lit(runDate)));
        Dataset<Row> suppressed = Suppression.load(warehouse.spark(), programs.suppressionPath());
        return run(record, contacts, suppressed, runDate);
    }

    public Result run(Dataset<Row> record, Dataset<Row> contacts, Dataset<Row> suppressed, LocalDate runDate) {
        double[] cuts = ValueTiers.cuts(record, ScoredRecord.CLV, segments.tiers());
        Dataset<Row> tiered = record.withColumn("value_tier",
                ValueTiers.tier(col(ScoredRecord.CLV), cuts, segments.tiers(), segments.restTier()));
        // Micro-segmentation reads the record several times (count, sample, k-means, labelling): computed once.
        Dataset<Row> rfm = RfmSegments.assign(tiered, segments).persist(StorageLevel.MEMORY_AND_DISK());
        MicroSegments.Result micro = log.run("micro-segments (k-means, k by silhouette)",
                () -> MicroSegments.fit(rfm, segments));
        Dataset<Row> segmented = CustomSchemes.apply(micro.labelled(), segments)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Dataset<Row> assigned = ProgramAssignment.assign(segmented, programs);
            Dataset<Row> eligible = Suppression.apply(assigned, suppressed, programs.cooldownDays());
            Dataset<Row> withChannel = ChannelChoice.choose(eligible, contacts, programs)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            try {
                Dataset<Row> targets = BudgetAllocation.select(withChannel.where(col("contact_blocked").isNull()), programs)
                        .select(col("program"), col("account_id"), col("channel"), col("offer"),
                                col("response_probability"), col("program_value"),
                                col("expected_net_value").as("expected_value"), col("contact_cost").as("cost"),
                                col("rank"))
                        .persist(StorageLevel.MEMORY_AND_DISK());
                try {
                    Dataset<Row> scores = customerScores(withChannel, targets);
                    long nScores = log.step("write customer_scores", () ->
                            warehouse.replaceRunDate(Table.CUSTOMER_SCORES, scores, runDate));
                    long nTargets = log.step("write campaign_targets", () ->
                            warehouse.replaceRunDate(Table.CAMPAIGN_TARGETS, targets, runDate));
                    Dataset<Row> summary = SegmentSummary.build(warehouse.readRunDate(Table.CUSTOMER_SCORES, runDate,
                            "segment"), segments, micro.profiles());
                    log.step("write segment_summary", () -> warehouse.replaceRunDate(Table.SEGMENT_SUMMARY, summary, runDate));
                    // bounded: the value-tier rows of segment_summary, one per tier.
                    List<Row> tiers = warehouse.readRunDate(Table.SEGMENT_SUMMARY, runDate, "segment")
                            .where(col("scheme").equalTo("value_tier")).orderBy(col("total_clv").desc()).collectAsList();
                    return new Result(nScores, nTargets, tiers, outcomes(runDate), micro.k());
                } finally {
                    targets.unpersist();
                }
            } finally {
                withChannel.unpersist();
            }
        } finally {
            segmented.unpersist();
            rfm.unpersist();
        }
    }

    /** One row per account: everything known about it, and whether it is targeted this run. */
    private static Dataset<Row> customerScores(Dataset<Row> withChannel, Dataset<Row> targets) {
        Dataset<Row> picked = targets.select(col("account_id"), lit(true).as("targeted"));
        Dataset<Row> joined = withChannel.join(picked, "account_id", "left")
                .withColumn("targeted", coalesce(col("targeted"), lit(false)));
        List<String> drop = new ArrayList<>();
        for (String c : joined.columns()) {
            if (c.startsWith("_")) {
                drop.add(c);
            }
        }
        return joined.drop(drop.toArray(new String[0]));
    }

    private List<ProgramOutcome> outcomes(LocalDate runDate) {
        Dataset<Row> scores = warehouse.readRunDate(Table.CUSTOMER_SCORES, runDate, "segment");
        Dataset<Row> targets = warehouse.readRunDate(Table.CAMPAIGN_TARGETS, runDate, "segment");
        Dataset<Row> byProgram = scores.groupBy("program").agg(count(lit(1)).as("accounts"))
                .join(targets.groupBy("program").agg(count(lit(1)).as("targeted"),
                        ExactSums.sum(col("cost"), ExactSums.MONEY).as("spend"),
                        ExactSums.sum(col("expected_value").plus(col("cost")), ExactSums.MONEY).as("value")),
                        new String[] {"program"}, "left");
        List<ProgramOutcome> out = new ArrayList<>();
        // bounded: one row per program.
        for (Row r : byProgram.orderBy("program").collectAsList()) {
            String p = r.getString(0);
            out.add(new ProgramOutcome(p, r.getLong(1), r.isNullAt(2) ? 0 : r.getLong(2),
                    ProgramAssignment.budget(programs, p), r.isNullAt(3) ? 0 : r.getDouble(3),
                    r.isNullAt(4) ? 0 : r.getDouble(4)));
        }
        return out;
    }
}
