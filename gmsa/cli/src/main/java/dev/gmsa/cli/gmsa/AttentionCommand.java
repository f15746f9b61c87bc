package dev.gmsa.cli.gmsa;

import dev.gmsa.compress.pipeline.GmsaFolder;
import dev.gmsa.compress.pipeline.ShippedModels;
import dev.gmsa.compress.attention.AnchorDominance;
import dev.gmsa.compress.attention.AttentionFigure;
import dev.gmsa.compress.attention.EncoderAttention;
import dev.gmsa.compress.attention.GroupShare;
import dev.gmsa.compress.attention.MemoryShare;
import dev.gmsa.compress.pipeline.GmsaManifest;
import dev.gmsa.compress.pipeline.GmsaSystem;
import dev.gmsa.compress.pipeline.Methods;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Whether anchor-token dominance (Fig. 1 of the paper) exists in this encoder: the attention maps of each encoder
 * layer over one window, and for each soft token how its attention mass spreads, as key=value lines and one PNG.
 */
@Command(name = "attention", showDefaultValues = true,
        description = "Per-layer encoder attention maps over one window (and memory tokens) as a PNG. Prints per layer "
                + "top2_mass=, first_mass=, and per soft token in_group_mass= (gmsa) or group_mass= (memory tokens).")
public final class AttentionCommand implements Callable<Integer> {
    @Option(names = "--gmsa", description = "a GMSA folder from train-ae / train-keft (default: the shipped folder of --method)") Path gmsa;

    static final class Source {
        @Option(names = "--text") String text;
        @Option(names = "--text-file") Path textFile;
    }

    @ArgGroup(exclusive = true, multiplicity = "1") Source source;
    @Option(names = "--method", description = "gmsa or tcp-ae: must be the folder's method (default: the folder's)") String method;
    @Option(names = "--rate", defaultValue = "4", description = "compression rate: tokens per group / per memory token") int rate;
    @Option(names = "--out", required = true, description = "PNG to write") Path out;

    @Override
    public Integer call() throws Exception {
        if (gmsa == null) gmsa = ShippedModels.methodFolder(null, method != null ? method : "gmsa");
        requireFolderMethod(GmsaFolder.readManifest(gmsa));
        String text = source.text != null ? source.text : Files.readString(source.textFile);
        if (text.isBlank()) throw new IllegalArgumentException("the text is empty");
        try (GmsaSystem system = GmsaFolder.load(gmsa)) {
            EncoderAttention attention = EncoderAttention.of(system, text, rate);
            print(attention);
            AttentionFigure.write(attention, out);
        }
        System.out.println("out=" + out);
        return 0;
    }

    /** A folder holds one trained method; asking for another is a mistake worth naming. */
    private void requireFolderMethod(GmsaManifest manifest) {
        if (method == null) return;
        if (!Methods.NAMES.contains(method))
            throw new IllegalArgumentException("unknown method " + method + " (known: " + String.join(", ", Methods.NAMES) + ")");
        if (!method.equals(manifest.method()))
            throw new IllegalArgumentException(gmsa + " was trained with method " + manifest.method() + ", not " + method
                    + " (pass --method " + manifest.method() + " or leave --method out)");
    }

    private static void print(EncoderAttention a) {
        System.out.println("method=" + a.method());
        System.out.println("context_tokens=" + a.contextTokens());
        System.out.println("soft_tokens=" + a.softTokens());
        if (a.hasMemoryTokens()) System.out.println("memory_tokens=" + (a.positions() - a.contextTokens()));
        System.out.println("encoder_layers=" + a.maps().size());
        System.out.println("rate=" + a.rate());
        for (int layer = 0; layer < a.maps().size(); layer++) {
            if (a.hasMemoryTokens()) printMemoryTokens(a, layer);
            else printGroups(a, layer);
        }
    }

    private static void printGroups(EncoderAttention a, int layer) {
        List<GroupShare> shares = GroupShare.of(a, layer);
        double uniform = GroupShare.meanInGroup(GroupShare.of(a.uniformReference(), 0));
        System.out.println(dominance(a, layer) + format(" in_group_mass=%.4f in_group_uniform=%.4f", GroupShare.meanInGroup(shares), uniform));
        for (int s = 0; s < shares.size(); s++) {
            GroupShare share = shares.get(s);
            System.out.println(format("layer=%d soft_token=%d in_group_mass=%.4f first_mass=%.4f other_mass=%.4f",
                    layer, s, share.inGroup(), share.firstToken(), share.other()));
        }
    }

    private static void printMemoryTokens(EncoderAttention a, int layer) {
        AnchorDominance memory = AnchorDominance.ofMemory(a, layer);
        AnchorDominance uniform = AnchorDominance.ofMemory(a.uniformReference(), 0);
        System.out.println(dominance(a, layer) + format(" memory_top2_mass=%.4f memory_top2_uniform=%.4f memory_first_mass=%.4f",
                memory.topTwoMass(), uniform.topTwoMass(), memory.firstTokenMass()));
        List<MemoryShare> shares = MemoryShare.of(a, layer);
        for (int m = 0; m < shares.size(); m++) {
            MemoryShare share = shares.get(m);
            String groups = Arrays.stream(share.groups()).mapToObj(g -> format("%.4f", g)).collect(Collectors.joining(","));
            System.out.println(format("layer=%d memory_token=%d top_group_mass=%.4f memory_mass=%.4f group_mass=%s",
                    layer, m, share.topGroup(), share.memory(), groups));
        }
    }

    /** The per-layer figures over the context's own queries, the same for every method; *_uniform: without anchors. */
    private static String dominance(EncoderAttention a, int layer) {
        AnchorDominance d = AnchorDominance.ofContext(a, layer), uniform = AnchorDominance.ofContext(a.uniformReference(), 0);
        return format("layer=%d top2_mass=%.4f top2_uniform=%.4f first_mass=%.4f first_uniform=%.4f",
                layer, d.topTwoMass(), uniform.topTwoMass(), d.firstTokenMass(), uniform.firstTokenMass());
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
