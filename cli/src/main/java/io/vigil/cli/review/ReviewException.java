package io.vigil.cli.review;

/** A review request the queue refuses, with the HTTP status that says why. */
public final class ReviewException extends RuntimeException {

    public static final int BAD_REQUEST = 400;
    public static final int UNAUTHORIZED = 401;
    public static final int FORBIDDEN = 403;
    public static final int NOT_FOUND = 404;
    public static final int CONFLICT = 409;
    public static final int UNSUPPORTED_MEDIA_TYPE = 415;
    public static final int UNAVAILABLE = 503;

    private final int status;

    public ReviewException(int status, String message) {
        this(status, message, null);
    }

    public ReviewException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public static ReviewException badRequest(String message) {
        return new ReviewException(BAD_REQUEST, message);
    }

    public int status() {
        return status;
    }
}
