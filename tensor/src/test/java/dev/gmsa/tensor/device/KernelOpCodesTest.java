package dev.gmsa.tensor.device;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelOpCodesTest {
    @Test
    void theKernelsOpCodeFileMatchesTheJavaEnums() {
        assertEquals(KernelOpCodes.defines(), KernelDialect.resource(KernelOpCodes.FILE),
                KernelOpCodes.FILE + " is stale: regenerate it as KernelOpCodes' comment says");
    }

    @Test
    void everyProgramSourceHasTheOpCodesBeforeItsKernels() {
        for (KernelDialect dialect : KernelDialect.values())
            for (String program : KernelDialect.PROGRAMS) {
                String source = dialect.source(program);
                int codes = source.indexOf("#define UNARY_SILU "), common = source.indexOf("typedef struct");
                assertTrue(codes >= 0 && codes < common, dialect + " " + program + ": op codes come before common.cl");
            }
    }
}
