package io.anomalyze.detect;

import io.anomalyze.InvalidInputException;
import io.anomalyze.read.TrafficLayout;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every model the service can use, one per detector kind: the models bundled in the jar under
 * {@code models/} (unless left out), then those of a models directory (which win over bundled
 * ones of the same kind; copies of the bundled ones are not loaded twice). Picks the detector for a file's layout, or the one the user forced.
 */
public final class DetectorRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DetectorRegistry.class);
    private static final String BUNDLED_PREFIX = "models/";

    /**
     * A loaded model: its detector, the file it came from and that file's SHA-256 (with its
     * sidecar's, for an ONNX graph), which tells two models apart whatever they are called.
     */
    public record LoadedModel(String file, String origin, String sha256, Detector detector) {
    }

    private final Map<String, LoadedModel> byKind;

    private DetectorRegistry(Map<String, LoadedModel> byKind) {
        this.byKind = Collections.unmodifiableMap(byKind);
    }

    /** Builds a registry from already-loaded detectors (for embedding). */
    public static DetectorRegistry of(List<LoadedModel> models) {
        Map<String, LoadedModel> map = new LinkedHashMap<>();
        models.forEach(m -> map.put(m.detector().kind(), m));
        return new DetectorRegistry(map);
    }

    /**
     * Loads the bundled models and those in {@code modelsDir} (may be null or absent). A file
     * that is not a model is logged and passed over, so one broken file cannot stop the service.
     */
    public static DetectorRegistry load(Path modelsDir) throws IOException {
        return load(modelsDir, true);
    }

    /**
     * Loads the models of {@code modelsDir} (may be null or absent), over the bundled ones when
     * {@code bundled} is true. A model in the directory that is byte for byte a bundled one (as
     * when the service runs from its own source tree, where {@code ./models} holds the bundled
     * files) is not loaded a second time.
     */
    public static DetectorRegistry load(Path modelsDir, boolean bundled) throws IOException {
        Map<String, LoadedModel> map = new LinkedHashMap<>();
        Set<String> bundledDigests = new HashSet<>();
        Path bundledCopy = bundled ? copyBundledModels() : null;
        if (bundledCopy != null) {
            loadDirectory(bundledCopy, "bundled", map, Set.of(), bundledDigests);
        }
        if (modelsDir != null && Files.isDirectory(modelsDir)) {
            loadDirectory(modelsDir, modelsDir.toString(), map, bundledDigests, new HashSet<>());
        }
        return new DetectorRegistry(map);
    }

    /**
     * Loads every model file of {@code dir} except those whose content digest is in {@code skip};
     * adds the digest of each loaded one to {@code loaded}.
     */
    private static void loadDirectory(Path dir, String origin, Map<String, LoadedModel> into, Set<String> skip,
                                      Set<String> loaded) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList();
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            String lower = name.toLowerCase(Locale.ROOT);
            if (!(lower.endsWith(".json") || lower.endsWith(".onnx"))) {
                continue;
            }
            // A JSON sidecar next to an ONNX graph is read together with the graph.
            if (lower.endsWith(".json") && Files.exists(sidecarGraph(file))) {
                continue;
            }
            try {
                String digest = digest(file);
                if (skip.contains(digest)) {
                    LOG.info("{} ({}) is the bundled model already loaded", name, origin);
                    continue;
                }
                Detector d = ModelLoader.load(file);
                LoadedModel previous = into.put(d.kind(), new LoadedModel(name, origin, digest, d));
                if (previous != null) {
                    previous.detector().close();
                }
                loaded.add(digest);
                LOG.info("loaded {} model {} ({})", d.kind(), name, origin);
            } catch (IOException | RuntimeException e) {
                LOG.warn("skipped {} ({}): {}", name, origin, e.getMessage());
            }
        }
    }

    private static Path sidecarGraph(Path json) {
        String name = json.getFileName().toString();
        return json.resolveSibling(name.substring(0, name.length() - 5) + ".onnx");
    }

    /**
     * Loads exactly the given model files, at most one per detector kind. Unlike a models
     * directory, where a broken file is passed over, a named file that cannot load is an error.
     */
    public static DetectorRegistry loadFiles(List<Path> files) throws IOException {
        Map<String, LoadedModel> map = new LinkedHashMap<>();
        try {
            for (Path file : files) {
                if (!Files.isRegularFile(file)) {
                    throw new InvalidInputException(file + ": no such model file");
                }
                String digest = digest(file);
                Detector d = ModelLoader.load(file);
                LoadedModel previous = map.put(d.kind(), new LoadedModel(file.getFileName().toString(), file.toString(), digest, d));
                if (previous != null) {
                    d.close();
                    throw new InvalidInputException(file + ": a second " + d.kind() + " model (" + previous.file()
                            + " is one already); give one model per detector kind");
                }
            }
        } catch (IOException | RuntimeException e) {
            map.values().forEach(m -> m.detector().close());
            throw e;
        }
        return new DetectorRegistry(map);
    }

    /** SHA-256 of a model file, and of its sidecar for an ONNX graph: two models with one digest are the same model. */
    public static String digest(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha.update(Files.readAllBytes(file));
        String name = file.getFileName().toString();
        if (name.toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            Path sidecar = file.resolveSibling(name.substring(0, name.length() - 5) + ".json");
            if (Files.isRegularFile(sidecar)) {
                sha.update((byte) 0);
                sha.update(Files.readAllBytes(sidecar));
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Copies the models packaged as resources to a temporary directory, so every loader sees plain files. */
    private static Path copyBundledModels() throws IOException {
        List<String> names = bundledModelNames();
        if (names.isEmpty()) {
            return null;
        }
        Path dir = Files.createTempDirectory("anomalyze-models");
        dir.toFile().deleteOnExit();
        ClassLoader loader = DetectorRegistry.class.getClassLoader();
        for (String name : names) {
            try (InputStream in = loader.getResourceAsStream(BUNDLED_PREFIX + name)) {
                if (in != null) {
                    Path target = dir.resolve(name);
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    target.toFile().deleteOnExit();
                }
            }
        }
        return dir;
    }

    /** Names of the files under {@code models/} on the class path, whether it is a jar or a directory. */
    static List<String> bundledModelNames() throws IOException {
        Path location;
        try {
            location = Path.of(DetectorRegistry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(location)) {
            Path models = location.resolve("models");
            if (Files.isDirectory(models)) {
                try (Stream<Path> s = Files.list(models)) {
                    s.filter(Files::isRegularFile).forEach(p -> names.add(p.getFileName().toString()));
                }
            }
        } else if (Files.isRegularFile(location)) {
            try (JarFile jar = new JarFile(location.toFile())) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    String entry = entries.nextElement().getName();
                    if (entry.startsWith(BUNDLED_PREFIX) && entry.length() > BUNDLED_PREFIX.length()
                            && entry.indexOf('/', BUNDLED_PREFIX.length()) < 0) {
                        names.add(entry.substring(BUNDLED_PREFIX.length()));
                    }
                }
            }
        }
        Collections.sort(names);
        return names;
    }

    public List<LoadedModel> models() {
        return List.copyOf(byKind.values());
    }

    public Optional<LoadedModel> find(String kind) {
        return Optional.ofNullable(byKind.get(kind));
    }

    public List<String> kinds() {
        return List.copyOf(byKind.keySet());
    }

    /** The model for a detector kind, or a clear refusal naming what is loaded. */
    public LoadedModel require(String kind, String forWhat) {
        LoadedModel m = byKind.get(kind);
        if (m == null) {
            String what = switch (kind) {
                case "mlp" -> "flow model (mlp)";
                case "kmeans" -> "connection-record model (kmeans)";
                default -> "model of kind \"" + kind + "\"";
            };
            throw new ModelNotLoadedException(forWhat + " needs the " + what + ", which is not loaded in this service; loaded: "
                    + (byKind.isEmpty() ? "none" : String.join(", ", byKind.keySet())));
        }
        return m;
    }

    /**
     * The model for a file: {@code forced} ("kmeans" or "mlp") when given, else the one for the
     * file's layout. A forced detector that does not fit the layout is refused.
     */
    public LoadedModel choose(TrafficLayout layout, String forced, String source) {
        if (forced != null && !forced.isBlank() && !forced.equals("auto")) {
            if (!forced.equals("kmeans") && !forced.equals("mlp")) {
                throw new InvalidInputException("unknown detector \"" + forced + "\"; use auto, kmeans or mlp");
            }
            if (!forced.equals(layout.detectorKind())) {
                throw new InvalidInputException(source + ": holds " + layout.description() + ", which the "
                        + forced + " detector cannot read; use " + layout.detectorKind() + " or auto");
            }
        }
        return require(layout.detectorKind(), source + " (" + layout.description() + ")");
    }

    @Override
    public void close() {
        for (LoadedModel m : byKind.values()) {
            try {
                m.detector().close();
            } catch (RuntimeException e) {
                LOG.warn("closing {} failed: {}", m.file(), e.getMessage());
            }
        }
    }
}
