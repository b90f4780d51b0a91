package io.tandem.backend.conference;

import io.tandem.protocol.callback.NodeCommand;

/**
 * The node commands about callback tickets ({@link NodeCommand.Kind#OFFER_TICKET},
 * {@link NodeCommand.Kind#WITHDRAW_TICKET}), carried out by the feature that works tickets (queue calls), which
 * registers itself with {@link NodeCommands#serve}: this package knows no queue.
 */
public interface TicketCommands {

    /** Put the ticket in its queue's wait set (or give the waiting one its new assignee). */
    void offer(NodeCommand command);

    /** Take the ticket out of its queue's wait set. */
    void withdraw(NodeCommand command);
}
