package io.payledger.saga.work;

import io.payledger.saga.fiuu.FiuuClient;
import io.payledger.saga.reconciliation.LedgerPositions.Position;

/**
 * One kind of conversation with Fiuu about a payment, one turn at a time: given the payment as the ledger's view
 * has it now and the work item's counts so far, call Fiuu (or find that the payment moved on and nothing is to be
 * asked) and say what it came to. A step never waits and never retries by itself: {@link FiuuWorkers} does, with
 * the item. A call Fiuu does not answer throws {@code FiuuUnavailable}; an answer nothing documents (or an HTTP
 * 4xx) throws {@code FiuuUnexpectedAnswer}.
 */
interface FiuuStep {

    Decision take(FiuuWork.Item item, Position payment, FiuuClient fiuu);
}
