package dev.gmsa.compress.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the trained artifacts the repository ships live, and how a {@code --gmsa DIR} names one of them. The
 * launcher passes the repository root as {@code -Dgmsa.home}; the artifacts are in {@value #FOLDER} under it:
 * {@code decoder/} (the default decoder), one GMSA folder per method ({@code gmsa/}, {@code tcp-ae/}, {@code icae/}),
 * {@code original/} (the decoder fine-tuned on full prompts) and {@code data/} (held-out evaluation data).
 */
public final class ShippedModels {
    public static final String FOLDER = "gmsa/models";
    public static final List<String> METHODS = List.of("gmsa", "tcp-ae", "icae", "original");

    private ShippedModels() {}

    /** The shipped bundle: {@code $gmsa.home/gmsa/models} (the working directory when the property is unset). */
    public static Path root() {
        return Path.of(System.getProperty("gmsa.home", ".")).resolve(FOLDER);
    }

    public static Path decoder() {
        return root().resolve("decoder");
    }

    public static Path data(String file) {
        return root().resolve("data").resolve(file);
    }

    /**
     * The folder of one method: {@code dir} itself when it is a GMSA folder (its gmsa.json names the method, which must
     * match), else {@code dir/method}. {@code dir} null means the shipped bundle.
     */
    public static Path methodFolder(Path dir, String method) {
        if (!METHODS.contains(method))
            throw new IllegalArgumentException("unknown method " + method + " (known: " + String.join(", ", METHODS) + ")");
        Path bundle = dir != null ? dir : root();
        if (Files.exists(bundle.resolve(GmsaFolder.MANIFEST))) {
            String has = GmsaFolder.readManifest(bundle).method();
            if (!has.equals(method))
                throw new IllegalArgumentException(bundle + " is a " + has + " folder, not " + method + " (give the folder of " + method
                        + " or a bundle holding one folder per method)");
            return bundle;
        }
        Path folder = bundle.resolve(method);
        if (!Files.isDirectory(folder))
            throw new IllegalArgumentException(folder + ": no " + method + " artifacts" + (dir == null
                    ? " shipped in this checkout (" + root() + "); train them (see " + FOLDER + "/README.md) or give --gmsa DIR" : ""));
        return folder;
    }
}
