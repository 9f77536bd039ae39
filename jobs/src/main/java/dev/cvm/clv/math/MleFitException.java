package dev.cvm.clv.math;

/**
 * Thrown when a maximum-likelihood fit fails to converge or produces a non-finite likelihood.
 * The partial {@link FitResult} (possibly null when no finite likelihood was ever found) is attached
 * for diagnosis.
 */
public class MleFitException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient FitResult result;

    public MleFitException(String message) {
        super(message);
        this.result = null;
    }

    public MleFitException(FitResult result) {
        super("maximum-likelihood fit did not converge: " + result.message() + " -- " + result);
        this.result = result;
    }

    /** The failed fit, or null if none was produced. */
    public FitResult result() {
        return result;
    }
}
