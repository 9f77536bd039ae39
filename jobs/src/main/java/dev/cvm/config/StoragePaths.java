package dev.cvm.config;

import dev.cvm.CvmException;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validates the storage locations of the config: each is a path cvm can resolve, and no location cvm writes to lies
 * inside the input root (or contains it), so the pipeline never writes into its input.
 *
 * <p>A path is a URI with a scheme ({@code hdfs://nn/x}, {@code s3a://bucket/x}, {@code file:/x}) or a plain path.
 * A relative plain path is resolved against the working directory here, once, so every stage (and every message)
 * uses the same absolute location.
 */
final class StoragePaths {
    private static final String SCHEME = "^[A-Za-z][A-Za-z0-9+.-]*:.*";

    private StoragePaths() {}

    /** The checked location of {@code key}: trimmed, relative plain paths made absolute. */
    static String check(String key, String value, boolean placeholdersAllowed) {
        String v = value.trim();
        if (v.isEmpty()) {
            throw CvmException.usage("config key " + key + " must not be empty: set it to a directory, e.g. "
                    + "/data/cvm or hdfs:///data/cvm");
        }
        if (v.startsWith("~")) {
            throw CvmException.usage("config key " + key + " is \"" + v + "\": '~' is not expanded (only a shell "
                    + "does that); write the absolute path, or ${HOME}/... in the config file");
        }
        String withoutPlaceholder = placeholdersAllowed ? v.replace("{run_date}", "2000-01-01") : v;
        if (withoutPlaceholder.matches(".*[{}].*")) {
            throw CvmException.usage("config key " + key + " is \"" + v + "\": "
                    + (placeholdersAllowed ? "the only placeholder is {run_date}" : "it takes no placeholder "
                    + "({run_date} works in cvm.input.root only)"));
        }
        if (v.matches(SCHEME) && !v.matches("^[A-Za-z]:[\\\\/].*")) {
            try {
                URI uri = new URI(withoutPlaceholder);
                if (uri.isOpaque() || (uri.getAuthority() == null && uri.getPath().isEmpty())) {
                    throw CvmException.usage("config key " + key + " is \"" + v + "\": the URI has no directory "
                            + "(write e.g. hdfs:///data/cvm or s3a://bucket/cvm)");
                }
            } catch (URISyntaxException e) {
                throw CvmException.usage("config key " + key + " is \"" + v + "\", not a valid URI (" + e.getReason()
                        + "); write e.g. hdfs:///data/cvm, or a plain path without a ':'");
            }
            return v;
        }
        try {
            Path p = Path.of(v);
            return p.isAbsolute() ? v : p.toAbsolutePath().normalize().toString();
        } catch (InvalidPathException e) {
            throw CvmException.usage("config key " + key + " is \"" + v + "\", which is not a path this system can "
                    + "resolve (" + e.getReason() + "); write an absolute path or a URI such as hdfs:///data/cvm");
        }
    }

    /**
     * Fails when a written location equals the input root, lies inside it, or contains it. Only the part of the input
     * root before {@code {run_date}} counts, so a warehouse next to the dated deliveries is refused too.
     */
    static void separate(String inputKey, String inputRoot, Map<String, String> written) {
        Location input = Location.of(inputRoot);
        for (Map.Entry<String, String> e : written.entrySet()) {
            Location out = Location.of(e.getValue());
            if (!input.sameStore(out)) {
                continue;
            }
            String what = null;
            if (out.segments().equals(input.segments())) {
                what = "is the same location as";
            } else if (out.isInside(input)) {
                what = "lies inside";
            } else if (input.isInside(out)) {
                what = "contains";
            }
            if (what != null) {
                throw CvmException.usage("config key " + e.getKey() + " (" + e.getValue() + ") " + what + " "
                        + inputKey + " (" + inputRoot + "): cvm must never write into its input. Put them side by "
                        + "side, e.g. /data/cvm/warehouse and /data/landing (docs/security.md)");
            }
        }
    }

    /** A location as scheme, authority and path segments, for comparisons only. */
    record Location(String scheme, String authority, List<String> segments) {
        static Location of(String s) {
            String scheme = "";
            String authority = "";
            String path = s;
            if (s.matches(SCHEME) && !s.matches("^[A-Za-z]:[\\\\/].*")) {
                URI uri = URI.create(s.replace("{", "%7B").replace("}", "%7D"));
                scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
                authority = uri.getAuthority() == null ? "" : uri.getAuthority();
                path = uri.getPath();
                if (scheme.equals("file")) {
                    scheme = "";
                }
            }
            List<String> segments = new ArrayList<>();
            Path p = Path.of(path.replace("%7B", "{").replace("%7D", "}"));
            p = scheme.isEmpty() ? p.toAbsolutePath().normalize() : p.normalize();
            for (String seg : p.toString().split("[/\\\\]")) {
                if (seg.contains("{")) {
                    break; // a per-date directory: compare with the part before it
                }
                if (!seg.isEmpty()) {
                    segments.add(seg);
                }
            }
            return new Location(scheme, authority, List.copyOf(segments));
        }

        boolean sameStore(Location o) {
            return scheme.equals(o.scheme) && authority.equals(o.authority);
        }

        boolean isInside(Location parent) {
            return segments.size() > parent.segments.size()
                    && segments.subList(0, parent.segments.size()).equals(parent.segments);
        }
    }
}
