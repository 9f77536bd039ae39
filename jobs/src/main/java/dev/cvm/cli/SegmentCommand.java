package dev.cvm.cli;

import dev.cvm.segments.SegmentStage;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;

@Command(name = "segment", mixinStandardHelpOptions = true,
        description = {"Value tiers, RFM and micro-segments, custom schemes; one CVM program per account with its",
                "channel; the budget allocation. Writes customer_scores, campaign_targets and segment_summary."})
final class SegmentCommand extends StageCommand {
    @Override
    void run(CvmContext ctx) {
        runSegment(ctx);
    }

    static SegmentStage.Result runSegment(CvmContext ctx) {
        ctx.log().stage("segment " + ctx.runDate());
        SegmentStage.Result r = new SegmentStage(ctx.warehouse(), ctx.config().segments(), ctx.config().programs(),
                ctx.log()).run(ctx.runDate());
        ctx.log().info("  micro-segments: k = %d", r.k());
        ctx.log().info("  %-12s %10s %14s %8s", "value tier", "accounts", "total CLV", "share");
        for (Row t : r.tiers()) {
            ctx.log().info("  %-12s %,10d %,14.0f %7.1f%%", t.getAs("segment"), t.<Long>getAs("accounts"),
                    t.<Double>getAs("total_clv"), 100 * (t.isNullAt(t.fieldIndex("share_of_clv")) ? 0.0
                            : t.<Double>getAs("share_of_clv")));
        }
        ctx.log().info("  %-10s %9s %9s %10s %10s %12s %8s", "program", "accounts", "targeted", "budget", "spend",
                "exp. value", "ROI");
        for (SegmentStage.ProgramOutcome p : r.programs()) {
            ctx.log().info("  %-10s %,9d %,9d %,10.0f %,10.2f %,12.2f %7.0f%%", p.program(), p.accounts(), p.targeted(),
                    p.budget(), p.spend(), p.expectedValue(), 100 * p.roi());
        }
        return r;
    }
}
