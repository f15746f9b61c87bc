package dev.gmsa.cli.lm;

import picocli.CommandLine.Option;

/** Either --text (tokenized with the model's tokenizer) or --ids 1,2,3; shared by generate and score. */
final class TokenInput {
    @Option(names = "--text", description = "input text", paramLabel = "TEXT")
    String text;

    @Option(names = "--prompt", description = "input text (same as --text)", paramLabel = "TEXT")
    String prompt;

    @Option(names = "--ids", split = ",", description = "input token ids, comma-separated", paramLabel = "ID")
    int[] ids;

    String textOrNull() {
        return text != null ? text : prompt;
    }

    static String joinIds(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(ids[i]);
        }
        return sb.toString();
    }
}
