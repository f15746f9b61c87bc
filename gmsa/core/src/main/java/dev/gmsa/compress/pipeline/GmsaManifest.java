package dev.gmsa.compress.pipeline;

import dev.gmsa.compress.model.AlignerKind;
import dev.gmsa.compress.model.CompressorSpec;
import dev.gmsa.compress.model.KeftMode;
import dev.gmsa.compress.model.LoraSettings;
import dev.gmsa.compress.model.SummaryKind;

import java.util.List;

/**
 * What a trained GMSA folder is (gmsa.json): the method, where the encoder and decoder checkpoints are,
 * the prompt conventions and the fingerprints that bind soft-token files to these models.
 *
 * @param decoder        model folder of the decoder
 * @param encoder        model folder of the encoder checkpoint (often the same as the decoder)
 * @param window         tokens per compressed window (longer contexts are compressed window by window)
 * @param keftMode       null until KEFT has run
 */
public record GmsaManifest(String method, String summary, String aligner, int encoderLayers, int lsaLayers,
                           int loraRank, float loraAlpha, float loraDropout, List<String> loraTargets,
                           String decoder, String encoder, List<Integer> rates, String instruction, int window,
                           int maxSoftTokens, String keftMode, String compressorHash, String decoderHash) {

    public CompressorSpec spec() {
        return new CompressorSpec(method, SummaryKind.valueOf(summary), AlignerKind.valueOf(aligner), encoderLayers, lsaLayers,
                new LoraSettings(loraRank, loraAlpha, loraDropout, loraTargets));
    }

    public static GmsaManifest of(CompressorSpec spec, String decoder, String encoder, List<Integer> rates, String instruction,
                                  int window, int maxSoftTokens) {
        LoraSettings l = spec.lora();
        return new GmsaManifest(spec.name(), spec.summary().name(), spec.aligner().name(), spec.encoderLayers(), spec.lsaLayers(),
                l.rank(), l.alpha(), l.dropout(), l.targets(), decoder, encoder, List.copyOf(rates), instruction, window,
                maxSoftTokens, null, null, null);
    }

    public GmsaManifest withHashes(String compressor, String decoderFingerprint) {
        return new GmsaManifest(method, summary, aligner, encoderLayers, lsaLayers, loraRank, loraAlpha, loraDropout, loraTargets,
                decoder, encoder, rates, instruction, window, maxSoftTokens, keftMode, compressor, decoderFingerprint);
    }

    /** The same manifest naming the checkpoints by other paths (relative to the folder when saved, resolved when loaded). */
    public GmsaManifest withModelPaths(String decoderPath, String encoderPath) {
        return new GmsaManifest(method, summary, aligner, encoderLayers, lsaLayers, loraRank, loraAlpha, loraDropout, loraTargets,
                decoderPath, encoderPath, rates, instruction, window, maxSoftTokens, keftMode, compressorHash, decoderHash);
    }

    public GmsaManifest withKeft(KeftMode mode) {
        return new GmsaManifest(method, summary, aligner, encoderLayers, lsaLayers, loraRank, loraAlpha, loraDropout, loraTargets,
                decoder, encoder, rates, instruction, window, maxSoftTokens, mode == null ? null : mode.name(), compressorHash, decoderHash);
    }
}
