package dev.cvm;

/**
 * A failure the user can act on: bad input, bad config, a missing prerequisite stage.
 * The CLI prints its message as one line (no stack trace unless --verbose) and exits non-zero.
 */
public class CvmException extends RuntimeException {
    private final int exitCode;

    public CvmException(String message) {
        this(message, 1, null);
    }

    public CvmException(String message, Throwable cause) {
        this(message, 1, cause);
    }

    public CvmException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** Exit code 2: the invocation itself is wrong (usage, config, arguments). */
    public static CvmException usage(String message) {
        return new CvmException(message, 2, null);
    }
}
