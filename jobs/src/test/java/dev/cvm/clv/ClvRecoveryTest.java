package dev.cvm.clv;

import dev.cvm.clv.math.BgNbd;
import dev.cvm.clv.math.FitResult;
import dev.cvm.clv.math.GammaGamma;
import dev.cvm.clv.math.ModelFit;
import dev.cvm.config.CvmConfig;
import dev.cvm.generate.DataGenerator;
import dev.cvm.generate.GeneratorParams;
import dev.cvm.testing.SparkTestSupport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parameter recovery through the whole Spark path: {@code cvm generate}'s simulator (account closures switched
 * off, so purchases follow BG/NBD and spend Gamma-Gamma exactly) → transactions → {@link RfmSummary} →
 * {@link SufficientStats} → fit. Each estimate must lie within 4 of its own standard errors of the planted value
 * (a correct pipeline fails this with probability about 6e-5 per parameter).
 *
 * <p>Observed with this seed: z = +1.5 (r), +2.9 (alpha), +0.8 (a), +1.1 (b), +0.1, −0.7, −0.1 (p, q, v). The
 * positive r/alpha shifts are expected: the simulator draws purchases in continuous time and the summary merges
 * purchases on the same calendar day (the CDNOW rule), which drops about (r+1)/(14·alpha) ≈ 3 % of purchases,
 * mostly of the heaviest buyers, and so slightly understates heterogeneity. Before the generator stopped allowing
 * a dropout right after the first purchase (that is MBG/NBD, not BG/NBD), r was 15 SE off.
 */
class ClvRecoveryTest {
    static final LocalDate AS_OF = LocalDate.parse("2025-06-01");
    static final int N = 4_000;
    @TempDir
    static Path tmp;
    static GeneratorParams truth;
    static Dataset<Row> summary;

    @BeforeAll
    static void generate() {
        CvmConfig config = SparkTestSupport.config(tmp.resolve("wh"), tmp.resolve("in"), null);
        truth = GeneratorParams.from(config.raw().getConfig("cvm.generate")).withChurnScale(0.0);
        new DataGenerator(SparkTestSupport.spark(), SparkTestSupport.log()).generate(
                new DataGenerator.Request(N, tmp.resolve("in").toString(), 20250601, AS_OF, 24, truth));
        Dataset<Row> txns = SparkTestSupport.spark().read().parquet(tmp.resolve("in/transactions").toString());
        summary = RfmSummary.summarize(txns, new RfmSummary.Columns("account_id", "transaction_ts", "amount"),
                AS_OF.minusDays(1), null, TimeUnit.WEEK).cache();
    }

    static void within4Se(FitResult fit, String name, double planted) {
        double est = fit.param(name);
        double se = fit.standardError(name);
        System.out.printf("%s: planted %.4f, estimate %.4f, se %.4f, z %.2f%n", name, planted, est, se,
                (est - planted) / se);
        assertTrue(Math.abs(est - planted) <= 4 * se, name + ": estimate " + est + " is " + (est - planted) / se
                + " SE from the planted " + planted + " (" + fit + ")");
    }

    @Test
    void bgNbdParametersAreRecovered() {
        var groups = SufficientStats.rfm(summary, "x", "t_x", "T", 0, 0);
        ModelFit<BgNbd> fit = ClvModels.bgNbd(groups.groups(), new ClvModels.FitSettings(0, "test"));
        FitResult r = fit.result();
        within4Se(r, "r", truth.bgR());
        within4Se(r, "alpha", truth.bgAlpha());
        within4Se(r, "a", truth.bgA());
        within4Se(r, "b", truth.bgB());
    }

    @Test
    void gammaGammaParametersAreRecovered() {
        var groups = SufficientStats.spend(summary, "x", "m", 0);
        ModelFit<GammaGamma> fit = ClvModels.gammaGamma(groups.groups(), new ClvModels.FitSettings(0, "test"));
        within4Se(fit.result(), "p", truth.ggP());
        within4Se(fit.result(), "q", truth.ggQ());
        within4Se(fit.result(), "v", truth.ggV());
    }
}
