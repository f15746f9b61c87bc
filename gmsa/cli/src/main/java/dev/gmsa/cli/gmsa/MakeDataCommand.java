package dev.gmsa.cli.gmsa;

import dev.gmsa.compress.data.JsonlWriter;
import dev.gmsa.compress.data.RealTextCorpus;
import dev.gmsa.compress.pipeline.QaData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Writes the held-out evaluation data from a real-text corpus: text passages of held-out documents (reconstruction)
 * and multi-document QA over held-out passages with 10 and 20 documents. None of it was seen by pre-training,
 * autoencoding or KEFT, which draw only from the training documents.
 */
@Command(name = "make-data", showDefaultValues = true, description = "Held-out evaluation data from a corpus folder: heldout-text.jsonl, qa-10docs.jsonl, qa-20docs.jsonl.")
public final class MakeDataCommand implements Callable<Integer> {
    @Option(names = "--corpus", required = true, description = "folder of real-text *.jsonl documents (the one pretrain --corpus read)") Path corpus;
    @Option(names = "--out", required = true, description = "folder to write the files into") Path out;
    @Option(names = "--passage-chars", defaultValue = "4000", description = "characters kept of each held-out document (whole sentences)") int passageChars;
    @Option(names = "--qa-count", defaultValue = "100", description = "questions per QA file") int qaCount;
    @Option(names = "--documents", split = ",", defaultValue = "10,20", description = "documents per QA example, one file each") List<Integer> documents;
    @Option(names = "--distractor-facts", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "every distractor carries a competing fact of the question's template") boolean distractorFacts;
    @Option(names = "--seed", defaultValue = "20261202", description = "seed of the QA sets") long seed;

    @Override
    public Integer call() throws Exception {
        RealTextCorpus c = RealTextCorpus.read(corpus);
        Files.createDirectories(out);
        List<String> texts = new ArrayList<>();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        for (String doc : c.heldOut()) texts.add(RealTextCorpus.passage(List.of(doc), passageChars, rng));
        JsonlWriter.writeTexts(out.resolve("heldout-text.jsonl"), texts);
        System.out.printf("heldout_texts=%d%n", texts.size());
        for (int n : documents) {
            Path file = out.resolve("qa-" + n + "docs.jsonl");
            JsonlWriter.writeQa(file, QaData.realText(c.heldOut(), seed + n, qaCount, n, distractorFacts));
            System.out.printf("qa_file=%s%nqa_questions=%d%n", file, qaCount);
        }
        return 0;
    }
}
