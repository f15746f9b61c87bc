package dev.gmsa.transformer;

/**
 * LLaMA-3.1 RoPE frequency scaling ({@code rope_type: "llama3"}): low frequencies (long wavelengths) are
 * divided by {@code factor}, high frequencies are kept, and the band between is interpolated smoothly.
 */
public record Llama3RopeScaling(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositionEmbeddings) {
    public Llama3RopeScaling {
        if (!(factor > 0) || !(lowFreqFactor > 0) || !(highFreqFactor > lowFreqFactor) || originalMaxPositionEmbeddings <= 0)
            throw new IllegalArgumentException("llama3 rope scaling needs factor > 0, 0 < low_freq_factor < high_freq_factor and "
                    + "original_max_position_embeddings > 0, got factor=" + factor + " low_freq_factor=" + lowFreqFactor
                    + " high_freq_factor=" + highFreqFactor + " original_max_position_embeddings=" + originalMaxPositionEmbeddings);
    }

    /** The scaled inverse frequency of one rotary pair (as transformers' {@code _compute_llama3_parameters}). */
    public double scale(double invFreq) {
        double lowFreqWavelen = originalMaxPositionEmbeddings / lowFreqFactor;
        double highFreqWavelen = originalMaxPositionEmbeddings / highFreqFactor;
        double wavelen = 2 * Math.PI / invFreq;
        if (wavelen < highFreqWavelen) return invFreq;
        if (wavelen > lowFreqWavelen) return invFreq / factor;
        double smooth = (originalMaxPositionEmbeddings / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
        return (1 - smooth) * invFreq / factor + smooth * invFreq;
    }
}
