package dev.vitrine.browser;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loads escape vectors from a directory of JSON files (one vector a file, sub-directories
 * allowed), sorted by id. The built-in catalogue lives in this module's test resources.
 *
 * <pre>{@code
 * List<EscapeVector> all = VectorCatalogue.builtIn();
 * List<EscapeVector> mine = VectorCatalogue.load(Path.of("my-vectors"));
 * }</pre>
 */
final class VectorCatalogue {
    /** Where the built-in catalogue lives on the test class path. */
    static final String RESOURCE = "dev/vitrine/browser/vectors";

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private VectorCatalogue() {
    }

    /** The catalogue shipped with the browser tests. */
    static List<EscapeVector> builtIn() {
        URL root = VectorCatalogue.class.getClassLoader().getResource(RESOURCE);
        if (root == null || !root.getProtocol().equals("file")) {
            throw new IllegalStateException("the vector catalogue " + RESOURCE + " is not on the class path as a directory: " + root);
        }
        try {
            return load(Path.of(root.toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every {@code *.json} file below {@code directory}.
     *
     * @throws IllegalArgumentException if the directory holds no vector, a file is not a valid
     *     vector (the message names the file and the rule), or two files share an id
     */
    static List<EscapeVector> load(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("vectors: " + directory + " is not a directory");
        }
        List<EscapeVector> vectors = new ArrayList<>();
        Map<String, Path> seen = new HashMap<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                EscapeVector vector = parse(file);
                Path earlier = seen.putIfAbsent(vector.id(), file);
                if (earlier != null) {
                    throw new IllegalArgumentException(file + ": id '" + vector.id() + "' is already used by " + earlier);
                }
                vectors.add(vector);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the vectors in " + directory, e);
        }
        if (vectors.isEmpty()) {
            throw new IllegalArgumentException("vectors: " + directory + " holds no *.json vector file");
        }
        vectors.sort(Comparator.comparing(EscapeVector::id));
        return List.copyOf(vectors);
    }

    private static EscapeVector parse(Path file) throws IOException {
        try {
            return EscapeVector.parse(JSON.readTree(file.toFile()), file.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
