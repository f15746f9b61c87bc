package dev.gmsa.loaders.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gmsa.loaders.Json;
import dev.gmsa.loaders.LoadException;
import dev.gmsa.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The weights of a Hugging Face model folder: {@code model.safetensors}, or shards listed by
 * {@code model.safetensors.index.json} ({@code weight_map}: tensor name to shard file). All shards stay mapped
 * until {@link #close()}.
 */
public final class SafetensorsCheckpoint implements AutoCloseable {
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private final List<SafetensorsFile> files;
    /** Tensor name to the shard holding it, in the order the shards list them. */
    private final Map<String, SafetensorsFile> fileOf;

    private SafetensorsCheckpoint(List<SafetensorsFile> files, Map<String, SafetensorsFile> fileOf) {
        this.files = files;
        this.fileOf = fileOf;
    }

    public static SafetensorsCheckpoint open(Path dir) {
        if (!Files.isDirectory(dir)) throw LoadException.of(dir, "model folder not found");
        Path single = dir.resolve(SINGLE_FILE), index = dir.resolve(INDEX_FILE);
        if (Files.exists(single)) return ofFiles(List.of(single), null, index);
        if (Files.exists(index)) return sharded(dir, index);
        throw LoadException.of(dir, "no " + SINGLE_FILE + " or " + INDEX_FILE + " in the model folder");
    }

    private static SafetensorsCheckpoint sharded(Path dir, Path index) {
        JsonNode weightMap = Json.read(index).get("weight_map");
        if (weightMap == null || !weightMap.isObject()) throw LoadException.of(index, "no weight_map object");
        Map<String, Path> shardOf = new LinkedHashMap<>();
        Path root = dir.toAbsolutePath().normalize();
        for (Map.Entry<String, JsonNode> e : weightMap.properties()) {
            if (!e.getValue().isTextual()) throw LoadException.of(index, "weight_map entry '" + e.getKey() + "' is not a file name");
            Path shard = root.resolve(e.getValue().textValue()).normalize();
            if (!shard.getParent().equals(root))
                throw LoadException.of(index, "weight_map entry '" + e.getKey() + "' points outside the model folder: " + e.getValue().textValue());
            shardOf.put(e.getKey(), shard);
        }
        return ofFiles(shardOf.values().stream().distinct().toList(), shardOf, index);
    }

    private static SafetensorsCheckpoint ofFiles(List<Path> paths, Map<String, Path> weightMap, Path index) {
        List<SafetensorsFile> files = new ArrayList<>();
        try {
            Map<Path, SafetensorsFile> byPath = new LinkedHashMap<>();
            for (Path p : paths) {
                SafetensorsFile f = SafetensorsFile.open(p);
                files.add(f);
                byPath.put(p, f);
            }
            Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
            for (SafetensorsFile f : files)
                for (String name : f.names()) {
                    SafetensorsFile earlier = fileOf.put(name, f);
                    if (earlier != null)
                        throw new LoadException("tensor '" + name + "' is in both " + earlier.source() + " and " + f.source());
                }
            if (weightMap != null) checkWeightMap(weightMap, byPath, index);
            return new SafetensorsCheckpoint(files, fileOf);
        } catch (RuntimeException e) {
            files.forEach(SafetensorsFile::close);
            throw e;
        }
    }

    private static void checkWeightMap(Map<String, Path> weightMap, Map<Path, SafetensorsFile> byPath, Path index) {
        for (Map.Entry<String, Path> e : weightMap.entrySet())
            if (!byPath.get(e.getValue()).contains(e.getKey()))
                throw LoadException.of(index, "weight_map puts tensor '" + e.getKey() + "' in " + e.getValue().getFileName()
                        + ", which does not contain it");
    }

    public Set<String> names() {
        return fileOf.keySet();
    }

    public boolean contains(String name) {
        return fileOf.containsKey(name);
    }

    public TensorEntry entry(String name) {
        return fileFor(name).entry(name);
    }

    public Tensor tensor(String name) {
        return fileFor(name).tensor(name);
    }

    /** Every tensor by name (views over the mapped files). */
    public Map<String, Tensor> tensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : fileOf.keySet()) out.put(name, tensor(name));
        return out;
    }

    private SafetensorsFile fileFor(String name) {
        SafetensorsFile f = fileOf.get(name);
        if (f == null) {
            String where = files.size() == 1 ? files.getFirst().source() : files.size() + " shards";
            throw new LoadException("no tensor named '" + name + "' in " + where);
        }
        return f;
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
