package dev.gmsa.tensor.cuda;

import dev.gmsa.tensor.device.DeviceException;

/** A CUDA driver or NVRTC call failed, the driver is not installed, or a kernel did not compile (the message holds the log). */
public final class CudaException extends DeviceException {
    public CudaException(String message) {
        super(message);
    }

    public CudaException(String message, Throwable cause) {
        super(message, cause);
    }
}
