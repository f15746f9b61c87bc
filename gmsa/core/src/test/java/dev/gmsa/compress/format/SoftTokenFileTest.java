package dev.gmsa.compress.format;

import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoftTokenFileTest {
    private static final SoftTokenFile.Identity ID = new SoftTokenFile.Identity("gmsa", "c0ffee", "decaf", 4);

    private static SoftTokenFile sample(DType type) {
        Tensor w0 = Tensor.randn(1, 1f, 3, 4), w1 = Tensor.randn(2, 1f, 2, 4);
        return new SoftTokenFile(ID, 4, type, 20,
                List.of(new SoftTokenFile.WindowTokens(0, 12, w0), new SoftTokenFile.WindowTokens(12, 8, w1)));
    }

    @Test
    void f32RoundTripsExactly(@TempDir Path dir) throws Exception {
        SoftTokenFile original = sample(DType.F32);
        Path file = dir.resolve("ctx.gmst");
        original.write(file);
        SoftTokenFile back = SoftTokenFile.read(file);
        assertEquals(original.identity(), back.identity());
        assertEquals(4, back.rate());
        assertEquals(20, back.contextTokens());
        assertEquals(2, back.windows().size());
        assertEquals(12, back.windows().get(1).firstToken());
        assertArrayEquals(original.allSoftTokens().toFloatArray(), back.allSoftTokens().toFloatArray());
    }

    @Test
    void bf16StoresRoundedValues(@TempDir Path dir) throws Exception {
        SoftTokenFile original = sample(DType.BF16);
        Path file = dir.resolve("ctx.gmst");
        original.write(file);
        float[] expected = original.allSoftTokens().to(DType.BF16).toFloatArray();
        assertArrayEquals(expected, SoftTokenFile.read(file).allSoftTokens().toFloatArray());
    }

    @Test
    void aFileMadeForAnotherDecoderIsRefusedWithTheReason(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ctx.gmst");
        sample(DType.F32).write(file);
        SoftTokenFile back = SoftTokenFile.read(file);
        var other = new SoftTokenFile.Identity("gmsa", "c0ffee", "beef", 4);
        var e = assertThrows(IllegalArgumentException.class, () -> back.requireIdentity(other, file));
        assertTrue(e.getMessage().contains("made for decoder decaf"), e.getMessage());
        back.requireIdentity(ID, file); // the right models pass
    }

    @Test
    void garbageAndTruncatedFilesGetAClearError(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.gmst");
        Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SoftTokenFile.read(junk)).getMessage().contains("not a soft-token file"));
        Path file = dir.resolve("ctx.gmst");
        sample(DType.F32).write(file);
        byte[] bytes = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.gmst");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThrows(IllegalArgumentException.class, () -> SoftTokenFile.read(cut));
    }

    @Test
    void fingerprintChangesWithAnyWeight() {
        Tensor a = Tensor.randn(3, 1f, 100, 100);
        String h1 = ModelFingerprint.of(Map.of("w", a));
        assertEquals(h1, ModelFingerprint.of(Map.of("w", a.copy())));
        Tensor b = a.copy();
        b.narrow(0, 50, 1).fillInPlace(0f);
        assertNotEquals(h1, ModelFingerprint.of(Map.of("w", b)));
        assertNotEquals(h1, ModelFingerprint.of(Map.of("v", a)));
    }
}
