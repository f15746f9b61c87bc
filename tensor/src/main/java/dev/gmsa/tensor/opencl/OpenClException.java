package dev.gmsa.tensor.opencl;

import dev.gmsa.tensor.device.DeviceException;

/** An OpenCL call failed, no driver is installed, or a kernel did not compile (the message holds the build log). */
public final class OpenClException extends DeviceException {
    public OpenClException(String message) {
        super(message);
    }

    public OpenClException(String message, Throwable cause) {
        super(message, cause);
    }
}
