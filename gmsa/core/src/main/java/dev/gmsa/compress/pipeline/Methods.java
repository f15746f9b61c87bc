package dev.gmsa.compress.pipeline;

import dev.gmsa.compress.model.CompressorSpec;
import dev.gmsa.compress.model.LoraSettings;

import java.util.List;

/** Compression methods by the names the CLI takes. */
public final class Methods {
    public static final List<String> NAMES = List.of("gmsa", "tcp-ae", "icae", "gmsa-no-merging", "gmsa-no-lsa", "gmsa-random-lsa");

    private Methods() {}

    public static CompressorSpec spec(String name, int encoderLayers, int lsaLayers, LoraSettings lora) {
        return switch (name) {
            case "gmsa" -> CompressorSpec.gmsa(encoderLayers, lsaLayers, lora);
            case "tcp-ae" -> CompressorSpec.tcpAe(encoderLayers, lora);
            case "icae" -> CompressorSpec.icae(encoderLayers, lora);
            case "gmsa-no-merging" -> CompressorSpec.withoutGroupMerging(encoderLayers, lsaLayers, lora);
            case "gmsa-no-lsa" -> CompressorSpec.withoutLsa(encoderLayers, lora);
            case "gmsa-random-lsa" -> CompressorSpec.randomLsa(encoderLayers, lsaLayers, lora);
            default -> throw new IllegalArgumentException("unknown method " + name + " (known: " + String.join(", ", NAMES) + ")");
        };
    }
}
