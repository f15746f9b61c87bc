package dev.gmsa.compress.train;

import dev.gmsa.autograd.Var;
import dev.gmsa.autograd.optim.Optimizer;
import dev.gmsa.loaders.safetensors.SafetensorsFile;
import dev.gmsa.loaders.safetensors.SafetensorsWriter;
import dev.gmsa.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A resumable training state in one safetensors file: only the trained parameters ("param/..."), the
 * optimizer state ("optim/..."), the loss history and the next step. Data order and dropout come from
 * generators seeded by (seed, step), so the step number is the whole data position and RNG state.
 * Written atomically (temp file + rename): a run killed mid-write keeps the previous checkpoint.
 */
public final class TrainingCheckpoint {
    private TrainingCheckpoint() {}

    public static void save(Path file, String run, int nextStep, long seed, Map<String, Var> trainable, Optimizer optimizer, float[] losses) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        trainable.forEach((name, v) -> tensors.put("param/" + name, v.value()));
        optimizer.state().forEach((key, t) -> tensors.put("optim/" + key, t));
        tensors.put("losses", Tensor.of(java.util.Arrays.copyOf(losses, Math.max(nextStep, 1))));
        Map<String, String> meta = Map.of("run", run, "next_step", Integer.toString(nextStep), "seed", Long.toString(seed));
        SafetensorsWriter.write(file, tensors, meta);
    }

    /**
     * Restores a saved state into the parameters and optimizer, copying losses into {@code losses};
     * returns the step to continue from, or 0 when there is no checkpoint file.
     */
    public static int resume(Path file, String run, long seed, Map<String, Var> trainable, Optimizer optimizer, float[] losses) {
        if (file == null || !Files.exists(file)) return 0;
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            Map<String, String> meta = f.metadata();
            if (!run.equals(meta.get("run")) || !Long.toString(seed).equals(meta.get("seed")))
                throw new IllegalArgumentException(file + ": checkpoint of run " + meta.get("run") + " seed " + meta.get("seed")
                        + ", cannot resume run " + run + " seed " + seed + " from it (delete it or pick another --out)");
            for (var e : trainable.entrySet()) {
                String key = "param/" + e.getKey();
                if (!f.contains(key)) throw new IllegalArgumentException(file + ": no saved value for trained parameter " + e.getKey());
                e.getValue().value().copyFrom(f.tensor(key));
            }
            Map<String, Tensor> state = new LinkedHashMap<>();
            for (String name : f.names())
                if (name.startsWith("optim/")) state.put(name.substring("optim/".length()), f.tensor(name).copy());
            optimizer.loadState(state);
            float[] saved = f.tensor("losses").toFloatArray();
            System.arraycopy(saved, 0, losses, 0, Math.min(saved.length, losses.length));
            return Integer.parseInt(meta.get("next_step"));
        }
    }
}
