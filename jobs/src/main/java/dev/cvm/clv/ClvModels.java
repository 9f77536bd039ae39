package dev.cvm.clv;

import dev.cvm.CvmException;
import dev.cvm.clv.math.BgNbd;
import dev.cvm.clv.math.FitOptions;
import dev.cvm.clv.math.GammaGamma;
import dev.cvm.clv.math.MleFitException;
import dev.cvm.clv.math.ModelFit;
import dev.cvm.clv.math.ParetoNbd;
import dev.cvm.clv.math.RfmGroup;
import dev.cvm.clv.math.SpendGroup;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Fits the CLV models on grouped statistics and turns every failure into one {@link CvmException} that names the
 * model, says why, and suggests the penalizer: a fit that did not converge is never returned, so nothing built on
 * it can be written.
 */
public final class ClvModels {
    public static final String BGNBD = "bgnbd";
    public static final String PARETO_NBD = "pareto_nbd";
    public static final String GAMMA_GAMMA = "gamma_gamma";
    public static final String SBG = "sbg";

    private ClvModels() {}

    /**
     * @param penalizer     L2 penalty λ (0 = plain maximum likelihood)
     * @param penalizerHint how the user sets λ, for the error message (a config key or a CLI option)
     */
    public record FitSettings(double penalizer, String penalizerHint) {
        public FitOptions options() {
            return FitOptions.defaults().withPenalizer(penalizer);
        }
    }

    public static ModelFit<BgNbd> bgNbd(List<RfmGroup> groups, FitSettings s) {
        return guarded("BG/NBD", s, () -> BgNbd.fit(groups, s.options()));
    }

    public static ModelFit<ParetoNbd> paretoNbd(List<RfmGroup> groups, FitSettings s) {
        return guarded("Pareto/NBD", s, () -> ParetoNbd.fit(groups, s.options()));
    }

    public static ModelFit<GammaGamma> gammaGamma(List<SpendGroup> groups, FitSettings s) {
        return guarded("Gamma-Gamma", s, () -> GammaGamma.fit(groups, s.options()));
    }

    /** Runs a fit; non-convergence and unusable data become a CvmException naming the model. */
    static <M> M guarded(String model, FitSettings s, Supplier<M> fit) {
        try {
            M f = fit.get();
            if (f instanceof ModelFit<?> mf) {
                mf.result().requireConverged();
            }
            return f;
        } catch (MleFitException e) {
            String why = e.result() != null ? e.result().message() : e.getMessage();
            throw new CvmException(String.format(Locale.ROOT,
                    "%s fit did not converge (%s); nothing was written. The data may not identify the model: "
                            + "try a small penalizer, e.g. %s = 0.001 (current %s)",
                    model, why, s.penalizerHint(), s.penalizer()), e);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new CvmException(model + " cannot be fitted on this data: " + e.getMessage()
                    + "; nothing was written", e);
        }
    }

    /** "r 0.2426 (se 0.013)  alpha 4.414 (se 0.38) ..." for log lines. */
    public static String describe(dev.cvm.clv.math.FitResult r) {
        StringBuilder sb = new StringBuilder();
        double[] v = r.params();
        double[] se = r.standardErrors();
        for (int i = 0; i < v.length; i++) {
            sb.append(String.format(Locale.ROOT, "%s %.6g (se %.2g)  ", r.paramNames().get(i), v[i], se[i]));
        }
        return sb.toString().strip();
    }
}
