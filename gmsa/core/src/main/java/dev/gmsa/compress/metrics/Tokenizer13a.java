package dev.gmsa.compress.metrics;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The "13a" tokenizer of mteval-v13a.pl, as sacrebleu implements it (the default tokenizer of
 * sacrebleu's BLEU, {@code sacrebleu/tokenizers/tokenizer_13a.py} + {@code tokenizer_re.py}):
 * <ol>
 *   <li>drop {@code <skipped>}, join lines broken after a hyphen, turn newlines into spaces, and
 *       unescape {@code &quot; &amp; &lt; &gt;};</li>
 *   <li>put spaces around ASCII symbols and punctuation except {@code ' - . ,};</li>
 *   <li>split off periods and commas unless they sit between two digits ("3.5" and "1,000" stay);</li>
 *   <li>split a dash that follows a digit;</li>
 *   <li>split on whitespace.</li>
 * </ol>
 * Like sacrebleu's BLEU, trailing whitespace is stripped first.
 */
public final class Tokenizer13a {
    // Same character classes as sacrebleu's TokenizerRegexp, in the same order.
    private static final Pattern SYMBOLS = Pattern.compile("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])");
    private static final Pattern PERIOD_COMMA_AFTER_NON_DIGIT = Pattern.compile("([^0-9])([\\.,])");
    private static final Pattern PERIOD_COMMA_BEFORE_NON_DIGIT = Pattern.compile("([\\.,])([^0-9])");
    private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");

    private Tokenizer13a() {}

    public static List<String> tokenize(String line) {
        line = line.stripTrailing()
                .replace("<skipped>", "")
                .replace("-\n", "")
                .replace("\n", " ");
        if (line.indexOf('&') >= 0) {
            line = line.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
        }
        line = " " + line + " ";
        line = SYMBOLS.matcher(line).replaceAll(" $1 ");
        line = PERIOD_COMMA_AFTER_NON_DIGIT.matcher(line).replaceAll("$1 $2 ");
        line = PERIOD_COMMA_BEFORE_NON_DIGIT.matcher(line).replaceAll(" $1 $2");
        line = DASH_AFTER_DIGIT.matcher(line).replaceAll("$1 $2 ");
        return PythonWhitespace.split(line);
    }
}
