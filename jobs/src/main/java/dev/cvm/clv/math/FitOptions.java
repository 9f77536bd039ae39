package dev.cvm.clv.math;

import java.util.ArrayList;
import java.util.List;

/**
 * Settings for {@link MleFitter}. Immutable; use the {@code with...} methods to derive variants.
 *
 * @param penalizer             L2 penalty coefficient λ ≥ 0. The maximised objective is
 *                              {@code LL/W − λ·Σθ²} (W = total customer weight, θ = natural
 *                              parameters), i.e. the convention of lifetimes' {@code penalizer_coef};
 *                              equivalently {@code LL − λ·W·Σθ²}. Default 0 reproduces published MLEs.
 * @param maxEvaluations        budget of log-likelihood evaluations for the Nelder-Mead stages (all starts
 *                              and the polish restart); the final Newton polish adds a bounded number
 *                              (at most 50 steps of 4n² + 2n evaluations plus a short line search)
 * @param relativeTolerance     Nelder-Mead stopping tolerance on the relative change of the vertex values
 * @param gradientTolerance     the fit is reported converged only if every component of the gradient of
 *                              the per-customer objective {@code LL/W − λΣθ²} with respect to the
 *                              log-parameters is at most this in absolute value (default 1e-5)
 * @param maxAbsLogParam        parameters are confined to {@code exp(±maxAbsLogParam)}; an optimum on that
 *                              boundary means the model is not identified on the data and is reported as
 *                              not converged
 * @param extraStarts           additional starting points (natural parameters) tried besides the model defaults
 * @param failOnNonConvergence  if true (default) a non-converged fit throws {@link MleFitException};
 *                              if false it is returned with {@code converged() == false} and a message
 */
public record FitOptions(double penalizer, int maxEvaluations, double relativeTolerance,
                         double gradientTolerance, double maxAbsLogParam, List<double[]> extraStarts,
                         boolean failOnNonConvergence) {

    /** Validates and defensively copies. */
    public FitOptions {
        if (!(penalizer >= 0) || Double.isInfinite(penalizer)) {
            throw new IllegalArgumentException("penalizer must be finite and >= 0, got " + penalizer);
        }
        if (maxEvaluations < 100) {
            throw new IllegalArgumentException("maxEvaluations must be >= 100, got " + maxEvaluations);
        }
        if (!(relativeTolerance > 0 && relativeTolerance < 1e-2)) {
            throw new IllegalArgumentException("relativeTolerance must be in (0, 1e-2), got " + relativeTolerance);
        }
        if (!(gradientTolerance > 0) || Double.isInfinite(gradientTolerance)) {
            throw new IllegalArgumentException("gradientTolerance must be finite and > 0, got " + gradientTolerance);
        }
        if (!(maxAbsLogParam >= 5 && maxAbsLogParam <= 100)) {
            throw new IllegalArgumentException("maxAbsLogParam must be in [5, 100], got " + maxAbsLogParam);
        }
        List<double[]> copy = new ArrayList<>();
        if (extraStarts != null) {
            for (double[] s : extraStarts) {
                copy.add(s.clone());
            }
        }
        extraStarts = List.copyOf(copy);
    }

    /** Defaults: no penalty, 100,000 evaluations, tolerance 1e-11, gradient tolerance 1e-5, |log θ| ≤ 30, fail loudly. */
    public static FitOptions defaults() {
        return new FitOptions(0.0, 100_000, 1e-11, 1e-5, 30.0, List.of(), true);
    }

    public FitOptions withPenalizer(double lambda) {
        return new FitOptions(lambda, maxEvaluations, relativeTolerance, gradientTolerance, maxAbsLogParam,
                extraStarts, failOnNonConvergence);
    }

    public FitOptions withMaxEvaluations(int max) {
        return new FitOptions(penalizer, max, relativeTolerance, gradientTolerance, maxAbsLogParam, extraStarts,
                failOnNonConvergence);
    }

    public FitOptions withExtraStarts(List<double[]> starts) {
        return new FitOptions(penalizer, maxEvaluations, relativeTolerance, gradientTolerance, maxAbsLogParam,
                starts, failOnNonConvergence);
    }

    public FitOptions withFailOnNonConvergence(boolean fail) {
        return new FitOptions(penalizer, maxEvaluations, relativeTolerance, gradientTolerance, maxAbsLogParam,
                extraStarts, fail);
    }

    /** Copies of the extra starting points (the record keeps them private to stay immutable). */
    @Override
    public List<double[]> extraStarts() {
        List<double[]> out = new ArrayList<>(extraStarts.size());
        for (double[] s : extraStarts) {
            out.add(s.clone());
        }
        return out;
    }
}
