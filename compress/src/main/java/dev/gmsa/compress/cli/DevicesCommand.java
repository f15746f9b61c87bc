package dev.gmsa.compress.cli;

import dev.gmsa.tensor.Backends;
import dev.gmsa.tensor.cpu.Parallel;
import picocli.CommandLine.Command;

/** Lists the compute devices this machine offers. */
@Command(name = "devices", description = "List compute devices (key=value lines).")
final class DevicesCommand implements Runnable {
    @Override
    public void run() {
        System.out.println("device=cpu backend=" + Backends.current().name() + " threads=" + Parallel.threads()
                + " vector_bits=" + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize());
    }
}
