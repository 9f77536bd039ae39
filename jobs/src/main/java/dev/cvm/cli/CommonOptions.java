package dev.cvm.cli;

import picocli.CommandLine.Option;

import java.io.File;

/** Options every command that reads config takes. */
public final class CommonOptions {
    @Option(names = "--conf", paramLabel = "FILE",
            description = "Config file (HOCON). Default: conf/local.conf of the cvm installation.")
    File conf;

    @Option(names = {"-v", "--verbose"}, description = "Show Spark's own logging and full stack traces.")
    boolean verbose;

    File confFile() {
        if (conf != null) {
            return conf;
        }
        return new File(System.getProperty("cvm.home", "."), "conf/local.conf");
    }
}
