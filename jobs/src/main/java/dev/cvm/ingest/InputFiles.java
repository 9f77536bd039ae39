package dev.cvm.ingest;

import dev.cvm.CvmException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Lists the data files of one input dataset directory (any Hadoop file system), skipping markers and checksums. */
final class InputFiles {
    private InputFiles() {}

    /** Whether {@code dir} exists (file or directory). */
    static boolean exists(SparkSession spark, String dir) {
        try {
            Path path = new Path(dir);
            return path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path);
        } catch (IOException e) {
            throw new CvmException("cannot check input location " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Returns null when the directory does not exist; the caller decides whether that is an error. */
    static List<String> list(SparkSession spark, String dir) {
        try {
            Path path = new Path(dir);
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(path)) {
                return null;
            }
            if (fs.isFile(path)) {
                throw new CvmException("input " + dir + " is a file; expected a directory of Parquet files "
                        + "(move the file into a directory of that name under cvm.input.root)");
            }
            List<String> files = new ArrayList<>();
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(path, true);
            while (it.hasNext()) {
                LocatedFileStatus st = it.next();
                String name = st.getPath().getName();
                if (st.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
                    files.add(st.getPath().toString());
                }
            }
            files.sort(String::compareTo);
            return files;
        } catch (IOException e) {
            throw new CvmException("cannot list input directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
