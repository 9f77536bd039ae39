package dev.cvm.warehouse;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes small driver-side files (JSON manifests, reports) on any Hadoop file system, so the same code
 * works with a local warehouse and with hdfs:// or s3a:// on a cluster.
 */
public final class SmallFiles {
    private SmallFiles() {}

    public static void write(Configuration conf, String path, String content) {
        write(conf, path, content.getBytes(StandardCharsets.UTF_8));
    }

    public static void write(Configuration conf, String path, byte[] content) {
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(conf);
            try (FSDataOutputStream out = fs.create(p, true)) {
                out.write(content);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    public static String read(Configuration conf, String path) {
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(conf);
            try (InputStream in = fs.open(p)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    public static boolean exists(Configuration conf, String path) {
        try {
            Path p = new Path(path);
            return p.getFileSystem(conf).exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + path, e);
        }
    }
}
