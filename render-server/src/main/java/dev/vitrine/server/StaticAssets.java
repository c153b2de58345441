package dev.vitrine.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Files of one class-path folder, read into memory once at start-up: serving them costs
 * a map look-up and a buffer write, and no request can name a file that was not there.
 */
final class StaticAssets {

    /** One file: its bytes, media type and a strong validator. */
    record Asset(byte[] body, String contentType, String etag) {
    }

    private static final Map<String, String> MEDIA_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "json", "application/json",
            "png", "image/png",
            "woff2", "font/woff2");

    private final Map<String, Asset> assets;

    private StaticAssets(Map<String, Asset> assets) {
        this.assets = Map.copyOf(assets);
    }

    /** Loads every file below {@code folder} (a class-path resource folder such as {@code dev/vitrine/static/app}). */
    static StaticAssets load(String folder) {
        URL url = StaticAssets.class.getClassLoader().getResource(folder);
        if (url == null) {
            throw new IllegalStateException("static files folder " + folder + " is not on the class path");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return new StaticAssets(read(jar.provider().getPath(uri)));
                } catch (FileSystemAlreadyExistsException e) {
                    return new StaticAssets(read(FileSystems.getFileSystem(uri).provider().getPath(uri)));
                }
            }
            return new StaticAssets(read(Path.of(uri)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read static files from " + url, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("static files folder has an odd URL: " + url, e);
        }
    }

    Optional<Asset> find(String relativePath) {
        return Optional.ofNullable(assets.get(relativePath));
    }

    private static Map<String, Asset> read(Path root) throws IOException {
        Map<String, Asset> assets = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = root.relativize(file).toString().replace('\\', '/');
                byte[] body = Files.readAllBytes(file);
                assets.put(name, new Asset(body, mediaType(name), "\"" + sha256(body).substring(0, 32) + "\""));
            }
        }
        return assets;
    }

    private static String mediaType(String name) {
        String extension = name.substring(name.lastIndexOf('.') + 1);
        return MEDIA_TYPES.getOrDefault(extension, "application/octet-stream");
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
