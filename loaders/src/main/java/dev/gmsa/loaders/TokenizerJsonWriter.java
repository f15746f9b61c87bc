package dev.gmsa.loaders;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gmsa.transformer.tokenizer.BpeTrainer;

import java.nio.file.Path;

/**
 * Writes a trained byte-level BPE as a Hugging Face {@code tokenizer.json} (the GPT-2 layout: Split regex then
 * ByteLevel pre-tokenizer, ByteLevel decoder, BPE model with [left, right] merges). The first special token is
 * the BOS that the post-processor puts in front of every encoded text, as LLaMA tokenizers do.
 */
public final class TokenizerJsonWriter {
    private TokenizerJsonWriter() {}

    public static void write(Path file, BpeTrainer.Result bpe) {
        if (bpe.specialTokens().isEmpty()) throw new IllegalArgumentException("a tokenizer.json needs at least a BOS special token");
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String special : bpe.specialTokens()) {
            ObjectNode t = added.addObject();
            t.put("id", bpe.vocab().get(special));
            t.put("content", special);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        ObjectNode split = steps.addObject();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", bpe.splitRegex());
        split.put("behavior", "Isolated");
        split.put("invert", false);
        steps.add(byteLevel(false));
        root.set("post_processor", bosTemplate(bpe));
        root.set("decoder", byteLevel(true));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        bpe.vocab().forEach(vocab::put);
        ArrayNode merges = model.putArray("merges");
        for (String[] m : bpe.merges()) merges.addArray().add(m[0]).add(m[1]);
        writeAtomically(file, root);
    }

    private static ObjectNode byteLevel(boolean useRegex) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("type", "ByteLevel");
        n.put("add_prefix_space", false);
        n.put("trim_offsets", true);
        n.put("use_regex", useRegex);
        return n;
    }

    /** TemplateProcessing: "single" = BOS $A, "pair" = BOS $A BOS $B. */
    private static ObjectNode bosTemplate(BpeTrainer.Result bpe) {
        String bos = bpe.specialTokens().get(0);
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("type", "TemplateProcessing");
        ArrayNode single = n.putArray("single");
        special(single, bos, 0);
        sequence(single, "A", 0);
        ArrayNode pair = n.putArray("pair");
        special(pair, bos, 0);
        sequence(pair, "A", 0);
        special(pair, bos, 1);
        sequence(pair, "B", 1);
        ObjectNode table = n.putObject("special_tokens").putObject(bos);
        table.put("id", bos);
        table.putArray("ids").add(bpe.vocab().get(bos));
        table.putArray("tokens").add(bos);
        return n;
    }

    private static void special(ArrayNode template, String token, int typeId) {
        ObjectNode s = template.addObject().putObject("SpecialToken");
        s.put("id", token);
        s.put("type_id", typeId);
    }

    private static void sequence(ArrayNode template, String id, int typeId) {
        ObjectNode s = template.addObject().putObject("Sequence");
        s.put("id", id);
        s.put("type_id", typeId);
    }

    private static void writeAtomically(Path file, ObjectNode root) {
        AtomicFiles.write(file, out -> Json.MAPPER.writeValue(out, root));
    }
}
