package dev.cvm;

import dev.cvm.cli.CvmCli;

/** Entry point for both the local launcher (bin/cvm) and spark-submit. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int code = CvmCli.execute(args);
        // Spark leaves non-daemon threads behind; exit explicitly so the shell sees the code.
        System.exit(code);
    }
}
