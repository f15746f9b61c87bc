package dev.gmsa.cli;

import dev.gmsa.testing.CommandRun;
import dev.gmsa.compress.format.SoftTokenFile;
import dev.gmsa.compress.metrics.Rouge;
import dev.gmsa.compress.metrics.RougeScore;
import dev.gmsa.compress.pipeline.EmbeddedDefault;
import dev.gmsa.loaders.safetensors.SafetensorsFile;
import dev.gmsa.transformer.Transformer;
import dev.gmsa.transformer.tokenizer.WordTokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command-line pipeline end to end at a toy budget, through {@link Main} as {@code bin/gmsa} runs it:
 * pretrain -> train-ae -> train-keft -> compress (a text and a JSONL corpus) -> reconstruct / ask -> eval, with the
 * key=value lines each prints, soft-token files bound to their model, a killed train-ae resumed to the same end,
 * and one-line errors for malformed JSONL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineCommandsTest {
    private static final int HIDDEN = 32, LAYERS = 2, CONTEXT = 16, RATE = 4, AE_STEPS = 40;
    private static final String TEXT = "Mia found a red kite at the park. Tom gave Ben a small box. The dog ran to the old tree by the river.";
    /** Short texts (at most CONTEXT tokens each, as eval cuts them) for the corpus and eval. */
    private static final List<String> DOCS = List.of("Mia found a red kite at the park.", "Tom gave Ben a small box.",
            "The dog ran to the old tree.");
    private static final WordTokenizer TOKENIZER = EmbeddedDefault.tokenizer();

    private Path dir, decoder, gmsa, keft, corpus;
    /** The key=value lines of the uninterrupted train-ae run. */
    private Map<String, String> straightAe;

    private List<String> aeArgs(String method, int steps, Path out) {
        return List.of("train-ae", "--decoder", decoder.toString(), "--method", method, "--encoder-layers", "1", "--lsa-layers", "1",
                "--rates", Integer.toString(RATE), "--context-tokens", Integer.toString(CONTEXT), "--window", Integer.toString(CONTEXT),
                "--steps", Integer.toString(steps), "--batch", "2", "--lr", "3e-3", "--checkpoint-every", "2", "--seed", "3",
                "--threads", "1", "--out", out.toString());
    }

    private static CommandRun gmsa(List<String> args) {
        return CliRun.of(args.toArray(String[]::new));
    }

    /**
     * Succeeded. Training commands draw their progress bar on stderr, so stderr may hold that but no error line
     * ("gmsa CMD: ...") and no stack trace.
     */
    private static CommandRun done(CommandRun run) {
        boolean errorLine = run.err().lines().anyMatch(l -> l.matches("gmsa [a-z-]+: .*") || l.contains("Exception"));
        assertTrue(run.exit() == 0 && !errorLine, "exit " + run.exit() + "\nstdout:\n" + run.out() + "\nstderr:\n" + run.err().replace("\r", "\\r\n"));
        return run;
    }

    private static double number(CommandRun run, String key) {
        double v = Double.parseDouble(run.value(key));
        assertTrue(Double.isFinite(v), key + "=" + v);
        return v;
    }

    @BeforeAll
    void trainTheToySystem(@TempDir Path tmp) throws IOException {
        dir = tmp;
        decoder = dir.resolve("decoder");
        CommandRun pretrain = done(CliRun.of("pretrain", "--out", decoder.toString(), "--hidden", Integer.toString(HIDDEN), "--layers",
                Integer.toString(LAYERS), "--steps", "3", "--seq", "24", "--batch", "2", "--threads", "1"));
        assertEquals(decoder.toString(), pretrain.value("model"));
        long params = 0;
        var config = EmbeddedDefault.config(HIDDEN, LAYERS);
        for (String name : Transformer.expectedNames(config)) params += Arrays.stream(Transformer.shapeOf(config, name)).asLongStream().reduce(1, (a, b) -> a * b);
        assertEquals(params, Long.parseLong(pretrain.value("params")), "params= counts the embedded config's weights");
        assertTrue(number(pretrain, "loss_first") > 0 && number(pretrain, "loss_last") > 0, pretrain.out());
        double copy = number(pretrain, "copy_token_accuracy");
        assertTrue(copy >= 0 && copy <= 1, pretrain.out());
        assertTrue(Files.exists(decoder.resolve("config.json")) && Files.size(decoder.resolve("loss-pretrain.png")) > 0);

        gmsa = dir.resolve("gmsa");
        CommandRun ae = done(gmsa(aeArgs("gmsa", AE_STEPS, gmsa)));
        straightAe = ae.values();
        assertEquals("gmsa", ae.value("method"));
        assertEquals(Integer.toString(AE_STEPS), ae.value("steps"));
        assertEquals("0", ae.value("resumed_at"));
        assertTrue(number(ae, "loss_first") > 0 && number(ae, "loss_last") > 0 && number(ae, "tokens_per_s") > 0, ae.out());
        for (String file : List.of("gmsa.json", "compressor.safetensors", "checkpoint-ae.safetensors"))
            assertTrue(Files.exists(gmsa.resolve(file)), file);
        assertTrue(Files.size(gmsa.resolve("loss-ae.png")) > 0);

        keft = dir.resolve("keft");
        CommandRun k = done(CliRun.of("train-keft", "--gmsa", gmsa.toString(), "--out", keft.toString(), "--count", "20", "--documents", "2",
                "--steps", "3", "--batch", "2", "--rate", Integer.toString(RATE), "--threads", "1"));
        assertEquals("gmsa", k.value("method"));
        assertEquals("QKV", k.value("mode"));
        assertEquals("20", k.value("examples"));
        assertEquals("3", k.value("steps"));
        assertTrue(number(k, "loss_first") > 0 && number(k, "loss_last") > 0, k.out());
        assertTrue(Files.exists(keft.resolve("keft.safetensors")) && Files.size(keft.resolve("loss-keft.png")) > 0);
        assertTrue(Files.readString(keft.resolve("gmsa.json")).contains("\"keftMode\" : \"QKV\""), Files.readString(keft.resolve("gmsa.json")));

        corpus = dir.resolve("docs.jsonl");
        StringBuilder jsonl = new StringBuilder();
        for (String d : DOCS) jsonl.append("{\"text\": \"").append(d).append("\"}\n");
        Files.writeString(corpus, jsonl);
    }

    /** The fields of compress's one line per file: "file=F context_tokens=N soft_tokens=M seconds=S". */
    private static List<Map<String, String>> compressLines(CommandRun run) {
        List<Map<String, String>> lines = new ArrayList<>();
        for (String line : run.out().split("\n")) {
            if (!line.startsWith("file=")) continue;
            Map<String, String> kv = new LinkedHashMap<>();
            for (String field : line.strip().split(" ")) kv.put(field.substring(0, field.indexOf('=')), field.substring(field.indexOf('=') + 1));
            lines.add(kv);
        }
        return lines;
    }

    /** Soft tokens for a context compressed in windows of CONTEXT tokens at RATE. */
    private static int softTokens(int contextTokens) {
        int total = 0;
        for (int start = 0; start < contextTokens; start += CONTEXT) total += (Math.min(CONTEXT, contextTokens - start) + RATE - 1) / RATE;
        return total;
    }

    @Test
    void compressATextThenReconstructAndAskFromTheFile() throws IOException {
        Path file = dir.resolve("text.gmst");
        CommandRun c = done(CliRun.of("compress", "--gmsa", keft.toString(), "--text", TEXT, "--rate", Integer.toString(RATE), "--out", file.toString()));
        Map<String, String> line = compressLines(c).get(0);
        int tokens = TOKENIZER.encode(TEXT).length;
        assertTrue(tokens > CONTEXT, "the text spans several windows");
        assertEquals(file.toString(), line.get("file"));
        assertEquals(tokens, Integer.parseInt(line.get("context_tokens")));
        assertEquals(softTokens(tokens), Integer.parseInt(line.get("soft_tokens")));
        SoftTokenFile soft = SoftTokenFile.read(file);
        assertEquals(RATE, soft.rate());
        assertEquals(tokens, soft.contextTokens());
        assertArrayEquals(new int[] {softTokens(tokens), HIDDEN}, soft.allSoftTokens().shape());

        CommandRun r = done(CliRun.of("reconstruct", "--gmsa", keft.toString(), "--soft", file.toString(), "--max-new-tokens", "8"));
        r.value("text");
        int newTokens = Integer.parseInt(r.value("new_tokens"));
        assertTrue(newTokens >= 0 && newTokens <= 8, r.out());
        assertTrue(List.of("eos", "length").contains(r.value("stop_reason")), r.out());

        CommandRun a = done(CliRun.of("ask", "--gmsa", keft.toString(), "--soft", file.toString(), "--question", "Who found the kite?",
                "--max-new-tokens", "4"));
        assertEquals(a.value("answer"), a.value("answer").strip());
        assertTrue(number(a, "prefill_tok_s") > 0, a.out());
    }

    @Test
    void compressAJsonlCorpusIntoOneFilePerDocument() throws IOException {
        Path out = dir.resolve("corpus-soft");
        CommandRun c = done(CliRun.of("compress", "--gmsa", keft.toString(), "--jsonl", corpus.toString(), "--rate", Integer.toString(RATE),
                "--out", out.toString()));
        assertEquals(Integer.toString(DOCS.size()), c.value("documents"));
        List<Map<String, String>> lines = compressLines(c);
        assertEquals(DOCS.size(), lines.size(), c.out());
        for (int i = 0; i < DOCS.size(); i++) {
            Path file = out.resolve(String.format("%06d.gmst", i));
            assertEquals(file.toString(), lines.get(i).get("file"));
            int tokens = TOKENIZER.encode(DOCS.get(i)).length;
            assertEquals(tokens, Integer.parseInt(lines.get(i).get("context_tokens")), DOCS.get(i));
            assertEquals(softTokens(tokens), SoftTokenFile.read(file).allSoftTokens().size(0), file.toString());
        }
    }

    @Test
    void softTokenFilesAreRefusedByASystemOfAnotherModelNamingIt() throws IOException {
        Path file = dir.resolve("bound.gmst");
        done(CliRun.of("compress", "--gmsa", keft.toString(), "--text", TEXT, "--out", file.toString()));

        Path tcp = dir.resolve("tcp-ae");
        assertEquals("tcp-ae", done(gmsa(aeArgs("tcp-ae", 1, tcp))).value("method"));
        CommandRun otherMethod = CliRun.of("reconstruct", "--gmsa", tcp.toString(), "--soft", file.toString());
        assertOneLineError(otherMethod, "gmsa reconstruct: " + file + ": made by method gmsa, this model is tcp-ae");

        // the folder before KEFT: same compressor, but the soft tokens were made for the fine-tuned decoder
        CommandRun otherDecoder = CliRun.of("ask", "--gmsa", gmsa.toString(), "--soft", file.toString(), "--question", "Who?");
        assertOneLineError(otherDecoder, "gmsa ask: " + file + ": made for decoder ");
    }

    private static void assertOneLineError(CommandRun run, String start) {
        assertEquals(1, run.exit(), run.out() + run.err());
        String err = run.err().strip();
        assertEquals(1, err.lines().count(), "one line:\n" + err);
        assertTrue(err.startsWith(start), "expected a line starting with\n" + start + "\ngot\n" + err);
    }

    @Test
    void aMalformedJsonlLineGivesOneLineNamingTheFileAndLine() throws IOException {
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"text\": \"Mia found a red kite.\"}\n{\"text\": oops}\n");
        assertOneLineError(CliRun.of("compress", "--gmsa", keft.toString(), "--jsonl", bad.toString(), "--out", dir.resolve("x").toString()),
                "gmsa compress: " + bad + ":2: bad JSON");
        List<String> train = new ArrayList<>(aeArgs("gmsa", 1, dir.resolve("never")));
        train.addAll(List.of("--data", bad.toString()));
        assertOneLineError(gmsa(train), "gmsa train-ae: " + bad + ":2: bad JSON");
        Path missingField = dir.resolve("missing.jsonl");
        Files.writeString(missingField, "{\"text\": \"a\"}\n\n{\"txt\": \"b\"}\n");
        assertOneLineError(CliRun.of("eval", "--gmsa", keft.toString(), "--data", missingField.toString()), "gmsa eval: " + missingField + ":3: ");
    }

    /**
     * A train-ae process killed (SIGKILL) after a checkpoint, then run again with the same options, resumes at the
     * checkpoint's step and ends where the uninterrupted run ended: same first and last loss, same weights.
     */
    @Test
    void aKilledTrainAeResumesToTheSameFinalLoss() throws Exception {
        Path out = dir.resolve("killed");
        Path checkpoint = out.resolve("checkpoint-ae.safetensors");
        Process process = startCli(aeArgs("gmsa", AE_STEPS, out), dir.resolve("killed.log"));
        long deadline = System.nanoTime() + 45_000_000_000L;
        while (!Files.exists(checkpoint) && process.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        process.destroyForcibly().waitFor();
        assertTrue(Files.exists(checkpoint), "no checkpoint before the kill; log:\n" + Files.readString(dir.resolve("killed.log")));
        int savedStep;
        try (SafetensorsFile f = SafetensorsFile.open(checkpoint)) {
            savedStep = Integer.parseInt(f.metadata().get("next_step"));
        }
        assertTrue(savedStep > 0 && savedStep < AE_STEPS, "killed mid-run, got a checkpoint at step " + savedStep);
        assertTrue(!Files.exists(out.resolve("compressor.safetensors")), "the killed run never finished");

        CommandRun resumed = done(gmsa(aeArgs("gmsa", AE_STEPS, out)));
        assertEquals(Integer.toString(savedStep), resumed.value("resumed_at"));
        Map<String, String> uninterrupted = straightAe;
        // printed at 4 decimals; the killed process ran its first steps in a cold JVM, which may move a last bit
        assertEquals(Double.parseDouble(uninterrupted.get("loss_first")), number(resumed, "loss_first"), 2e-4, resumed.out());
        assertEquals(Double.parseDouble(uninterrupted.get("loss_last")), number(resumed, "loss_last"), 2e-4, resumed.out());
        try (SafetensorsFile a = SafetensorsFile.open(gmsa.resolve("compressor.safetensors"));
             SafetensorsFile b = SafetensorsFile.open(out.resolve("compressor.safetensors"))) {
            assertEquals(a.names(), b.names());
            for (String name : a.names()) {
                float[] x = a.tensor(name).toFloatArray(), y = b.tensor(name).toFloatArray();
                for (int i = 0; i < x.length; i++) assertEquals(x[i], y[i], 1e-4f * Math.max(1f, Math.abs(x[i])), name + " at " + i);
            }
        }
    }

    /** {@code bin/gmsa ARGS} as a separate JVM on this test's class path (so that it can be killed). */
    private static Process startCli(List<String> args, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void evalReportsRougeAndPerplexityConsistentWithReconstructAndLoss() throws IOException {
        CommandRun eval = CliRun.of("eval", "--gmsa", keft.toString(), "--task", "reconstruct", "--data", corpus.toString(),
                "--count", Integer.toString(DOCS.size()), "--context-tokens", Integer.toString(CONTEXT), "--rate", Integer.toString(RATE)).ok();
        assertEquals("gmsa", eval.value("method"));
        assertEquals(Integer.toString(DOCS.size()), eval.value("texts"));
        Map<String, Double> m = new LinkedHashMap<>();
        for (String line : eval.out().split("\n"))
            if (line.matches("[A-Za-z0-9_]+=-?[0-9.]+(E-?[0-9]+)?")) m.put(line.substring(0, line.indexOf('=')), Double.parseDouble(line.substring(line.indexOf('=') + 1)));
        for (String key : List.of("bleu", "prefix_em", "rouge1", "rouge2", "rougeL", "loss", "perplexity", "loss_no_soft", "info_nats"))
            assertTrue(m.containsKey(key), key + "= missing in\n" + eval.out());
        for (String key : List.of("bleu", "prefix_em", "rouge1", "rouge2", "rougeL"))
            assertTrue(m.get(key) >= 0 && m.get(key) <= 1, key + "=" + m.get(key));
        assertEquals(m.get("loss_no_soft") - m.get("loss"), m.get("info_nats"), 2e-4);

        assertTrue(m.get("perplexity") >= 1, "perplexity=" + m.get("perplexity"));

        // ROUGE recomputed from what reconstruct restates for the same texts (the same greedy decoding). At this toy
        // budget the restatements share no word with the texts, so this checks the wiring; EvalMetricsTest the values.
        Path soft = dir.resolve("eval-soft");
        done(CliRun.of("compress", "--gmsa", keft.toString(), "--jsonl", corpus.toString(), "--rate", Integer.toString(RATE), "--out", soft.toString()));
        List<RougeScore> one = new ArrayList<>(), two = new ArrayList<>(), lcs = new ArrayList<>();
        for (int i = 0; i < DOCS.size(); i++) {
            int[] ids = TOKENIZER.encode(DOCS.get(i));
            assertTrue(ids.length <= CONTEXT, "eval must see the whole text: " + DOCS.get(i));
            CommandRun r = CliRun.of("reconstruct", "--gmsa", keft.toString(), "--soft", soft.resolve(String.format("%06d.gmst", i)).toString(),
                    "--max-new-tokens", Integer.toString(ids.length + 16)).ok();
            String hypothesis = r.value("text"), reference = TOKENIZER.decode(ids);
            one.add(Rouge.rouge1(hypothesis, reference));
            two.add(Rouge.rouge2(hypothesis, reference));
            lcs.add(Rouge.rougeL(hypothesis, reference));
        }
        assertEquals(RougeScore.mean(one).f1(), m.get("rouge1"), 1e-4, "rouge1");
        assertEquals(RougeScore.mean(two).f1(), m.get("rouge2"), 1e-4, "rouge2");
        assertEquals(RougeScore.mean(lcs).f1(), m.get("rougeL"), 1e-4, "rougeL");
    }

    /** Generated held-out texts are cut to one length, so exp(mean token loss) is exp(loss=) exactly. */
    @Test
    void evalPerplexityIsExpOfTheMeanTokenLoss() {
        CommandRun eval = done(CliRun.of("eval", "--gmsa", keft.toString(), "--count", "2", "--context-tokens", Integer.toString(CONTEXT),
                "--rate", Integer.toString(RATE)));
        double loss = number(eval, "loss"), perplexity = number(eval, "perplexity");
        assertTrue(loss > 0.1, eval.out());
        assertEquals(Math.exp(loss), perplexity, 2e-4 * perplexity, eval.out());
    }

    @Test
    void theOriginalPromptBaselineIsFineTunedIntoItsOwnFolderAndEvaluated() throws IOException {
        Path original = dir.resolve("original");
        CommandRun keftRun = done(CliRun.of("train-keft", "--decoder", decoder.toString(), "--out", original.toString(), "--steps", "3",
                "--batch", "2", "--count", "6", "--documents", "2", "--threads", "1"));
        assertEquals("original", keftRun.value("method"));
        String manifest = java.nio.file.Files.readString(original.resolve("original.json"));
        assertTrue(manifest.contains("\"keftMode\" : \"QKV\"") && !manifest.contains(dir.toString()), "relative decoder path: " + manifest);
        CommandRun qa = done(CliRun.of("eval", "--task", "qa", "--decoder", original.toString(), "--count", "2", "--documents", "2",
                "--max-answer-tokens", "4"));
        assertEquals("original", qa.value("method"));
        assertTrue(number(qa, "total_s") >= number(qa, "answer_s"), qa.out());
        assertOneLineError(CliRun.of("train-keft", "--decoder", decoder.toString()), "gmsa train-keft: --decoder needs --out");

        // a second stage (a curriculum) continues the first stage's deltas and still names the plain decoder
        Path stage2 = dir.resolve("original-2");
        CommandRun second = done(CliRun.of("train-keft", "--decoder", original.toString(), "--out", stage2.toString(), "--steps", "2",
                "--batch", "2", "--count", "6", "--documents", "3", "--threads", "1"));
        assertEquals("original", second.value("method"));
        try (var fresh = dev.gmsa.compress.pipeline.OriginalPrompt.start(decoder, dev.gmsa.compress.model.KeftMode.QKV);
             var continued = dev.gmsa.compress.pipeline.OriginalPrompt.start(original, dev.gmsa.compress.model.KeftMode.QKV)) {
            double freshNorm = 0, continuedNorm = 0;
            for (var v : fresh.deltas().values()) freshNorm += v.value().square().sum().item();
            for (var v : continued.deltas().values()) continuedNorm += v.value().square().sum().item();
            assertEquals(0, freshNorm, "a plain decoder starts from zero deltas");
            assertTrue(continuedNorm > 0, "a stage folder starts from its trained deltas");
        }
        assertEquals(java.nio.file.Files.readString(original.resolve("original.json")).replace("../decoder", "X"),
                java.nio.file.Files.readString(stage2.resolve("original.json")).replace("../decoder", "X"));
        // drills: each generated context asks one question per document; --count counts contexts
        CommandRun drill = done(CliRun.of("train-keft", "--decoder", decoder.toString(), "--out", dir.resolve("original-drill").toString(), "--drill",
                "--steps", "2", "--batch", "2", "--count", "4", "--documents", "3", "--threads", "1"));
        assertEquals("4", drill.value("examples"));
        assertTrue(number(drill, "loss_first") > 0, drill.out());
        assertOneLineError(CliRun.of("train-keft", "--decoder", decoder.toString(), "--out", dir.resolve("o4").toString(), "--drill",
                "--data", dir.resolve("none.jsonl").toString()), "gmsa train-keft: --drill generates its contexts");
        assertOneLineError(CliRun.of("train-keft", "--decoder", original.toString(), "--out", dir.resolve("o3").toString(), "--mode", "WHOLE_DECODER",
                "--steps", "1", "--count", "2", "--threads", "1"), "gmsa train-keft: " + original + ": fine-tuned with --mode QKV");
    }

    @Test
    void evalAnswersQuestionsWithACompressorAndWithTheOriginalPrompt() {
        for (List<String> who : List.of(List.of("--gmsa", keft.toString()), List.of("--decoder", decoder.toString()))) {
            List<String> args = new ArrayList<>(List.of("eval", "--task", "qa", "--count", "2", "--documents", "2", "--max-answer-tokens", "4"));
            args.addAll(who);
            CommandRun qa = done(gmsa(args));
            assertEquals(who.get(0).equals("--gmsa") ? "gmsa" : "original", qa.value("method"));
            assertEquals("2", qa.value("questions"));
            double em = number(qa, "em"), f1 = number(qa, "f1"), accuracy = number(qa, "accuracy");
            assertTrue(em >= 0 && em <= f1 && f1 <= 1 && accuracy >= 0 && accuracy <= 1, qa.out());
            assertTrue(number(qa, "answer_s") > 0, qa.out());
        }
    }
}
