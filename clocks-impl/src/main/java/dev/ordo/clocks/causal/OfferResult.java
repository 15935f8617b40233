package dev.ordo.clocks.causal;

/** What {@link CausalDeliveryBuffer#offer} did with a message. */
public enum OfferResult
{
    /** Delivered now (and so may have been every buffered message it unblocked). */
    DELIVERED,
    /** Held: it depends on a message not delivered yet. It is delivered as soon as that one is. */
    BUFFERED,
    /** Already delivered, or already held: ignored. */
    DUPLICATE,
    /** Not taken: the buffer is full. Nothing changed; offer it again later (retransmission). */
    REFUSED_FULL
}
