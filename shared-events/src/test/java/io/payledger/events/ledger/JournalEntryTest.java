package io.payledger.events.ledger;

import static io.payledger.events.ledger.Account.GATEWAY_CLEARING;
import static io.payledger.events.ledger.Account.MERCHANT_PAYABLE;
import static io.payledger.events.ledger.Posting.credit;
import static io.payledger.events.ledger.Posting.debit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.payledger.events.money.Money;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class JournalEntryTest {

    private static final Money TEN = Money.of(1000, "MYR");

    @Test
    void anEntryWhoseDebitsAndCreditsDifferCannotBeBuilt() {
        assertThatThrownBy(() -> JournalEntry.of(debit(GATEWAY_CLEARING, TEN), credit(MERCHANT_PAYABLE, Money.of(999, "MYR"))))
                .isInstanceOf(UnbalancedEntryException.class)
                .hasMessageContaining("1 minor units of MYR");
    }

    @Test
    void anEntryMustBalanceInEachCurrencySeparately() {
        assertThatThrownBy(() -> JournalEntry.of(
                debit(GATEWAY_CLEARING, TEN), credit(MERCHANT_PAYABLE, Money.of(1000, "SGD"))))
                .isInstanceOf(UnbalancedEntryException.class);
    }

    @Test
    void aSinglePostingIsNotAnEntry() {
        assertThatThrownBy(() -> new JournalEntry(List.of(debit(GATEWAY_CLEARING, TEN))))
                .isInstanceOf(UnbalancedEntryException.class);
    }

    @Test
    void aPostingOfZeroIsRefused() {
        assertThatThrownBy(() -> debit(GATEWAY_CLEARING, Money.zero("MYR"))).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Function<Money, JournalEntry>> everyEntryOfTheChart() {
        return Stream.of(JournalEntries::authorisation, money -> JournalEntries.capture(money, money),
                money -> JournalEntries.capture(money, Money.of(money.amount() / 2, money.currency())),
                JournalEntries::releaseHold, JournalEntries::refundRequested, JournalEntries::refundSucceeded,
                JournalEntries::refundFailed);
    }

    @ParameterizedTest
    @MethodSource("everyEntryOfTheChart")
    void everyEntryOfTheChartOfAccountsBalances(Function<Money, JournalEntry> entry) {
        JournalEntry built = entry.apply(TEN);

        long debits = built.postings().stream().filter(p -> p.side() == Side.DEBIT).mapToLong(p -> p.amount().amount()).sum();
        long credits = built.postings().stream().filter(p -> p.side() == Side.CREDIT).mapToLong(p -> p.amount().amount()).sum();
        assertThat(debits).isEqualTo(credits).isPositive();
    }

    @Test
    void aPartialCaptureReleasesTheWholeHoldAndCreditsTheMerchantOnlyWithWhatWasCaptured() {
        JournalEntry capture = JournalEntries.capture(TEN, Money.of(600, "MYR"));

        assertThat(capture.postings()).containsExactlyInAnyOrder(
                debit(Account.AUTHORISATIONS_OUTSTANDING, TEN), credit(Account.AUTHORISATION_HOLDS, TEN),
                debit(GATEWAY_CLEARING, Money.of(600, "MYR")), credit(MERCHANT_PAYABLE, Money.of(600, "MYR")));
    }
}
