package dev.cvm.cli;

import dev.cvm.CvmException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The {@code cvm} command line: parses, dispatches, and turns failures into one clear line and an exit code. */
@Command(name = "cvm", mixinStandardHelpOptions = true, version = "cvm 0.1.0",
        description = "Customer value management pipeline on Spark and Delta Lake.",
        subcommands = {
                GenerateCommand.class,
                IngestCommand.class,
                FeaturesCommand.class,
                ValueMapCommand.class,
                ClvCommand.class,
                ClvFitCommand.class,
                TrainCommand.class,
                ScoreCommand.class,
                ModelsCommand.class,
                EvaluateCommand.class,
                SegmentCommand.class,
                PublishCommand.class,
                MonitorCommand.class,
                RunCommand.class,
                ScanFloorCommand.class,
                ReportCommand.class,
                DemoCommand.class,
                SqlCommand.class,
                ContractCommand.class,
                CatalogCommand.class,
                CommandLine.HelpCommand.class
        })
public final class CvmCli implements Runnable {
    /** Set by the running command; decides whether failures print a stack trace. */
    static volatile boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new CvmCli());
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("cvm: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof CvmException ce) {
                err.println("cvm: error: " + ce.getMessage());
                if (verbose && ce.getCause() != null) {
                    ce.getCause().printStackTrace(err);
                }
                err.flush();
                return ce.exitCode();
            }
            err.println("cvm: failed: " + describe(ex));
            if (verbose) {
                ex.printStackTrace(err);
            } else {
                err.println("(run again with --verbose for the stack trace)");
            }
            err.flush();
            return 1;
        });
        return cl;
    }

    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The outermost message plus the root cause, which is usually what the user needs. */
    static String describe(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = ex.getClass().getSimpleName() + ": " + firstLine(ex.getMessage());
        if (root != ex) {
            msg += " (caused by " + root.getClass().getSimpleName() + ": " + firstLine(root.getMessage()) + ")";
        }
        return msg;
    }

    /** Spark puts whole stack traces into messages; the first line is the part a person reads. */
    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
