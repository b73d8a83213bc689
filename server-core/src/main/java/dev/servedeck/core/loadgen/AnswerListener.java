package dev.servedeck.core.loadgen;

/** Hears how one request ended. Called on the transport's threads: must not block. */
public interface AnswerListener {

    /**
     * @param status the protocol's status, as reports count it: {@code "200"}, {@code "404"} for REST,
     *     {@code "OK"}, {@code "NOT_FOUND"} for gRPC
     * @param ok whether it is a success (REST 2xx, gRPC OK)
     */
    void answered(String status, boolean ok);

    /** No answer: the connection failed or closed. {@code reason} is short and stable, since reports count by it. */
    void failed(String reason);
}
