package dev.cvm.report;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's chromium headless on a local file: {@code --dump-dom} (the DOM after loading, with the page's
 * console messages on stderr) or {@code --screenshot}. Each run gets a fresh profile directory and no network
 * features, so it is the same offline, on CI and on a laptop.
 */
final class HeadlessChromium {
    private static final long TIMEOUT_SECONDS = 120;

    record Run(int exitCode, String stdout, String stderr) {
        /** Console output of the page: chromium logs it to stderr as "...:CONSOLE..." lines. */
        List<String> consoleLines() {
            return stderr.lines().filter(l -> l.contains(":CONSOLE") || l.contains("Uncaught")).toList();
        }
    }

    private final String binary;

    private HeadlessChromium(String binary) {
        this.binary = binary;
    }

    /** CI sets CI=true (.ci/run installs chromium): there a missing browser is a failure, never a skip. */
    static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * The browser for a test. Without one: a failure on CI; elsewhere the test is skipped (JUnit abort) with a
     * warning on stderr, so a laptop without chromium still runs the rest of the suite but says what it did not check.
     */
    static HeadlessChromium forTest() {
        Optional<HeadlessChromium> found = find();
        if (found.isPresent()) {
            return found.get();
        }
        String why = "no headless browser found: the run report's browser check needs Chromium (Debian: apt-get "
                + "install -y chromium; .ci/run installs it), or -Dcvm.chromium=/path/to/chrome";
        if (onCi()) {
            throw new AssertionError(why + " (CI=true: the check must run)");
        }
        System.err.println("WARNING: SKIPPED the headless-browser check of the run report: " + why);
        Assumptions.abort(why);
        throw new IllegalStateException("unreachable");
    }

    /** The browser named by -Dcvm.chromium, or the first of chromium, chromium-browser, google-chrome on the PATH. */
    static Optional<HeadlessChromium> find() {
        String explicit = System.getProperty("cvm.chromium");
        if (explicit != null && !explicit.isBlank()) {
            if (!new File(explicit).canExecute()) {
                throw new AssertionError("-Dcvm.chromium=" + explicit + " is not an executable file");
            }
            return Optional.of(new HeadlessChromium(explicit));
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
            for (String dir : path.split(File.pathSeparator)) {
                File f = new File(dir, name);
                if (!dir.isEmpty() && f.isFile() && f.canExecute()) {
                    return Optional.of(new HeadlessChromium(f.getAbsolutePath()));
                }
            }
        }
        return Optional.empty();
    }

    Run dumpDom(Path html, Path workDir) throws IOException, InterruptedException {
        return run(html, workDir, List.of("--enable-logging=stderr", "--v=0", "--dump-dom"));
    }

    Run screenshot(Path html, Path png, int width, int height, Path workDir) throws IOException, InterruptedException {
        return run(html, workDir, List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars"));
    }

    private Run run(Path html, Path workDir, List<String> mode) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path profile = Files.createTempDirectory(workDir, "chromium-profile-");
        Path out = Files.createTempFile(workDir, "chromium-", ".out");
        Path err = Files.createTempFile(workDir, "chromium-", ".err");
        List<String> cmd = new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile.toAbsolutePath()));
        cmd.addAll(mode);
        cmd.add(html.toAbsolutePath().toUri().toString());
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + cmd);
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
