package io.aigw.extproc.quota;

/**
 * How much of one bucket's window is used, for the metrics: the buckets the policies name, not
 * those a {@code Distinct} header makes per value (as many as the clients send).
 *
 * @param backend {@code namespace/name} of the AIServiceBackend
 * @param policy {@code namespace/name} of the QuotaPolicy
 * @param model the model, or "" for the service budget
 * @param bucket {@code service}, {@code default}, or the bucket's header conditions ({@code
 *     x-tenant=vip}, {@code x-team~ml-.*}, a leading {@code !} when inverted)
 * @param duration the window: {@code 1s}, {@code 1m}, {@code 1h} or {@code 1d}
 * @param used the tokens drawn in the current window
 */
public record QuotaUsage(
    String backend,
    String policy,
    String model,
    String bucket,
    String duration,
    long limit,
    long used) {}
