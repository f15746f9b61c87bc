package dev.gmsa.tensor.device;

/** A device call failed, no driver is installed, or a kernel did not compile (the message holds the compiler's log). */
public class DeviceException extends RuntimeException {
    public DeviceException(String message) {
        super(message);
    }

    public DeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
