package dev.cvm.clv.math;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Outcome of a maximum-likelihood fit.
 *
 * @param paramNames     parameter names in model order (e.g. r, alpha, a, b)
 * @param params         fitted natural-scale parameters
 * @param logLikelihood  total weighted log-likelihood at {@code params} (without the penalty)
 * @param objective      the maximised objective {@code LL/W − λΣθ²} (equals LL/W when λ = 0)
 * @param standardErrors asymptotic standard errors: square roots of the diagonal of the inverse Hessian of
 *                       the negative total (penalised) log-likelihood in natural parameter space; NaN when
 *                       that Hessian is not positive definite
 * @param evaluations    number of log-likelihood evaluations used (the optimiser's unit of work; also
 *                       available as {@link #iterations()})
 * @param converged      whether every convergence check passed (see {@code message})
 * @param message        human-readable diagnosis ("converged" or what failed)
 * @param nCustomers     total weight W of the data (number of customers)
 */
public record FitResult(List<String> paramNames, double[] params, double logLikelihood, double objective,
                        double[] standardErrors, int evaluations, boolean converged, String message,
                        double nCustomers) implements Serializable {

    /** Defensive copies keep the result immutable. */
    public FitResult {
        paramNames = List.copyOf(paramNames);
        params = params.clone();
        standardErrors = standardErrors.clone();
        if (params.length != paramNames.size() || standardErrors.length != params.length) {
            throw new IllegalArgumentException("FitResult: names, params and standard errors differ in length");
        }
    }

    @Override
    public double[] params() {
        return params.clone();
    }

    @Override
    public double[] standardErrors() {
        return standardErrors.clone();
    }

    /** Alias of {@link #evaluations()}: the number of log-likelihood evaluations of the fit. */
    public int iterations() {
        return evaluations;
    }

    /** Fitted value of the named parameter. */
    public double param(String name) {
        return params[indexOf(name)];
    }

    /** Standard error of the named parameter. */
    public double standardError(String name) {
        return standardErrors[indexOf(name)];
    }

    /** Returns this result, or throws {@link MleFitException} if it did not converge. */
    public FitResult requireConverged() {
        if (!converged) {
            throw new MleFitException(this);
        }
        return this;
    }

    private int indexOf(String name) {
        int i = paramNames.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("unknown parameter '" + name + "', known: " + paramNames);
        }
        return i;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("FitResult{");
        for (int i = 0; i < params.length; i++) {
            sb.append(paramNames.get(i)).append('=').append(params[i])
                    .append(" (se ").append(standardErrors[i]).append("), ");
        }
        return sb.append("LL=").append(logLikelihood).append(", n=").append(nCustomers)
                .append(", evaluations=").append(evaluations).append(", converged=").append(converged)
                .append(", message='").append(message).append("'}").toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FitResult f && paramNames.equals(f.paramNames) && Arrays.equals(params, f.params)
                && Double.compare(logLikelihood, f.logLikelihood) == 0 && Double.compare(objective, f.objective) == 0
                && Arrays.equals(standardErrors, f.standardErrors) && evaluations == f.evaluations
                && converged == f.converged && message.equals(f.message)
                && Double.compare(nCustomers, f.nCustomers) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * paramNames.hashCode() + Arrays.hashCode(params)) + Double.hashCode(logLikelihood);
    }
}
