package dev.cvm.warehouse;

import dev.cvm.CvmException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Properties;
import java.util.UUID;

/**
 * One cvm process per run date and warehouse: {@code <warehouse>/_locks/run-<date>.lock}, created only if absent
 * (atomic on a local disk and on HDFS), holding who owns it. A second run of the date fails at once with the owner
 * and what to do about a stale lock, instead of racing the first run's Delta commits. Released by {@link #close}.
 */
public final class RunLock implements AutoCloseable {
    private final FileSystem fs;
    private final Path file;
    private final String token;

    private RunLock(FileSystem fs, Path file, String token) {
        this.fs = fs;
        this.file = file;
        this.token = token;
    }

    public static Path file(Warehouse warehouse, LocalDate runDate) {
        return new Path(warehouse.root() + "/_locks/run-" + runDate + ".lock");
    }

    /** Takes the lock of {@code runDate} for {@code command}, or fails naming the process that holds it. */
    public static RunLock acquire(Warehouse warehouse, LocalDate runDate, String command) {
        Path file = file(warehouse, runDate);
        Configuration conf = warehouse.spark().sparkContext().hadoopConfiguration();
        String token = UUID.randomUUID().toString();
        Properties owner = new Properties();
        owner.setProperty("command", command);
        owner.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        owner.setProperty("host", hostName());
        owner.setProperty("started", Instant.now().toString());
        owner.setProperty("token", token);
        try {
            FileSystem fs = file.getFileSystem(conf);
            fs.mkdirs(file.getParent());
            if (!create(fs, file, owner)) {
                throw held(warehouse, runDate, file, read(fs, file));
            }
            return new RunLock(fs, file, token);
        } catch (IOException e) {
            throw new CvmException("cannot create the run lock " + file + ": " + e.getMessage()
                    + "; check that the warehouse is writable", e);
        }
    }

    /** False when the file exists already. */
    private static boolean create(FileSystem fs, Path file, Properties owner) throws IOException {
        byte[] bytes = text(owner).getBytes(StandardCharsets.UTF_8);
        if (fs instanceof LocalFileSystem local) {
            // Hadoop's local create(overwrite=false) checks and then opens, which two processes can both pass.
            try {
                Files.write(local.pathToFile(file).toPath(), bytes, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
        }
        try (FSDataOutputStream out = fs.create(file, false)) {
            out.write(bytes);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    private static CvmException held(Warehouse warehouse, LocalDate runDate, Path file, Properties owner) {
        String pid = owner.getProperty("pid", "?");
        String host = owner.getProperty("host", "?");
        String stale = "";
        if (host.equals(hostName()) && !pid.equals("?")) {
            boolean alive = ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
            stale = alive ? " (that process is running)"
                    : " (no process " + pid + " runs on this host: the lock is stale, left by a killed run)";
        }
        return new CvmException("run date " + runDate + " of warehouse " + warehouse.root() + " is locked by another "
                + "cvm process: `cvm " + owner.getProperty("command", "?") + "` started "
                + owner.getProperty("started", "?") + " by pid " + pid + " on " + host + stale + ". Nothing was "
                + "written. Let that run finish (re-run afterwards if it failed); if it is no longer running "
                + "(killed, host lost), the lock is stale: delete " + file + " and re-run");
    }

    private static Properties read(FileSystem fs, Path file) {
        Properties p = new Properties();
        try (FSDataInputStream in = fs.open(file)) {
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            // Released meanwhile, or half-written by its creator: report what is known.
        }
        return p;
    }

    private static String text(Properties p) {
        StringBuilder sb = new StringBuilder("# cvm run lock: delete only when the process below is not running\n");
        for (String k : new String[] {"command", "pid", "host", "started", "token"}) {
            sb.append(k).append('=').append(p.getProperty(k)).append('\n');
        }
        return sb.toString();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    /** Deletes the lock if it is still this one; never throws, since the run's own outcome matters more. */
    @Override
    public void close() {
        try {
            if (token.equals(read(fs, file).getProperty("token"))) {
                fs.delete(file, false);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("cvm: warning: could not delete the run lock " + file + " (" + e.getMessage()
                    + "); delete it before the next run of this date");
        }
    }
}
