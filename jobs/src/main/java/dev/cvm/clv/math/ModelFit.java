package dev.cvm.clv.math;

import java.io.Serializable;

/**
 * A fitted model together with the diagnostics of its maximum-likelihood fit.
 *
 * @param model  the model built from the fitted parameters
 * @param result fit diagnostics (log-likelihood, standard errors, convergence)
 * @param <M>    model type
 */
public record ModelFit<M>(M model, FitResult result) implements Serializable {

    public ModelFit {
        if (model == null || result == null) {
            throw new IllegalArgumentException("model and result must not be null");
        }
    }
}
