package dev.cvm.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CvmCliTest {
    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        CommandLine cl = CvmCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void helpListsEveryCommand() {
        Result r = run("--help");
        assertEquals(0, r.code());
        for (String cmd : new String[] {"generate", "ingest", "demo"}) {
            assertTrue(r.out().contains(cmd), "help lists " + cmd + ":\n" + r.out());
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : CvmCli.commandLine().getSubcommands().keySet()) {
            if (cmd.equals("help")) {
                continue;
            }
            Result r = run(cmd, "--help");
            assertEquals(0, r.code(), cmd);
            assertTrue(r.out().contains("Usage: cvm " + cmd), r.out());
        }
    }

    @Test
    void badDateIsOneLineAndExitCode2() {
        Result r = run("ingest", "--run-date", "2024-02-30");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'2024-02-30' is not a date"), r.err());
        assertTrue(r.err().lines().count() <= 2, r.err());
    }

    @Test
    void unknownOptionIsExitCode2() {
        Result r = run("ingest", "--no-such-option");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--no-such-option"), r.err());
    }

    @Test
    void missingConfigFileIsExitCode2() {
        Result r = run("ingest", "--conf", "/nonexistent/cvm.conf", "--run-date", "2024-01-01");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("config file not found"), r.err());
    }

    @Test
    void runChecksItsStageNamesBeforeStartingSpark() {
        Result r = run("run", "--from", "train", "--run-date", "2026-11-01", "--conf", "/nonexistent/cvm.conf");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("the train stage runs only with --train"), r.err());
        r = run("run", "--from", "sgment", "--run-date", "2026-11-01");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--from must be one of [ingest, value-map, features, clv, score, segment"), r.err());
    }
}
