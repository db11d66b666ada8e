package io.payledger.fiuusandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The gateway's side of each formula against the same hand-computed vectors as the client's test
 * ({@code printf '%s' '<concatenation>' | md5sum}); MID = MID001, vk = vk123, sk = sk456.
 */
class SandboxSignaturesTest {

    @Test
    void theExtendedVcodeSignsTheCurrencySoAnotherCurrencyDoesNotVerify() {
        // printf '%s' '10.50MID001ORD-1001vk123MYR' | md5sum
        assertThat(SandboxSignatures.vcodeValid("e83b95ea5ec27d05ee877a58c31f6d46", "10.50", "MID001", "ORD-1001", "vk123", "MYR", false)).isTrue();
        assertThat(SandboxSignatures.vcodeValid("e83b95ea5ec27d05ee877a58c31f6d46", "10.50", "MID001", "ORD-1001", "vk123", "USD", false)).isFalse();
        assertThat(SandboxSignatures.vcodeValid("e83b95ea5ec27d05ee877a58c31f6d47", "10.50", "MID001", "ORD-1001", "vk123", "MYR", false)).isFalse();
    }

    @Test
    void theBasicVcodeIsTakenOnlyByAnAccountSetToTakeItAndThenAnyCurrencyPasses() {
        // printf '%s' '10.50MID001ORD-1001vk123' | md5sum
        assertThat(SandboxSignatures.vcodeValid("0fe0e71f12a1884452c3b368e5f0220e", "10.50", "MID001", "ORD-1001", "vk123", "MYR", false)).isFalse();
        assertThat(SandboxSignatures.vcodeValid("0fe0e71f12a1884452c3b368e5f0220e", "10.50", "MID001", "ORD-1001", "vk123", "MYR", true)).isTrue();
        assertThat(SandboxSignatures.vcodeValid("0fe0e71f12a1884452c3b368e5f0220e", "10.50", "MID001", "ORD-1001", "vk123", "USD", true)).isTrue();
    }

    @Test
    void notificationsAreSignedWithTheNestedSkey() {
        assertThat(SandboxSignatures.notificationSkey("30001234", "ORD-1001", "00", "MID001", "10.50", "MYR",
                "2026-11-22 10:00:00", "A12345", "sk456")).isEqualTo("5f53184a5c04854df48009c22943de9c");
    }

    @Test
    void captureReversalAndAnswersFollowTheDocumentedFormulas() {
        assertThat(SandboxSignatures.captureSkey("30001234", "10.50", "MID001", "vk123")).isEqualTo("772a359916c582c18e96b314dbb43c18");
        assertThat(SandboxSignatures.reversalSkey("30001234", "MID001", "sk456")).isEqualTo("b6d3f4a25ea6c657fe19b76eefb1181b");
        assertThat(SandboxSignatures.vrfKey("sk456", "MID001", "30001234", "00")).isEqualTo("d0525d01a1981f34610c64157a871f60");
    }

    @Test
    void refundsAndTheirAnswersFollowTheDocumentedFormulas() {
        assertThat(SandboxSignatures.refundRequestSignature("P", "MID001", "REF-1", "30001234", "4.00", "sk456"))
                .isEqualTo("8b9c06a6ebfa835b3f301946afa5f3eb");
        assertThat(SandboxSignatures.refundAnswerSignature("P", "MID001", "REF-1", "777", "30001234", "4.00", "00", "sk456"))
                .isEqualTo("859b92e03b48b7612c640c5900426cdd");
        assertThat(SandboxSignatures.refundQuerySignature("REF-1", "MID001", "vk123")).isEqualTo("6e640aad93a77e87d3174e940be1fd15");
    }

    @Test
    void statusQueriesFollowTheDocumentedFormulas() {
        assertThat(SandboxSignatures.queryByOrderSkey("ORD-1001", "MID001", "vk123", "10.50")).isEqualTo("2bca2933da66055f806fcbf5a733c057");
        assertThat(SandboxSignatures.queryVrfKey("10.50", "sk456", "MID001", "ORD-1001", "00")).isEqualTo("9546b290a04c73203485fbe5bee21343");
        // printf '%s' 'ORD-1001MID001vk123' | md5sum
        assertThat(SandboxSignatures.queryOrderBatchSkey("ORD-1001", "MID001", "vk123")).isEqualTo("a2262a054f39d717ef6de6e623bce098");
        // printf '%s' '30001234MID001vk12310.50' | md5sum
        assertThat(SandboxSignatures.queryByTransactionSkey("30001234", "MID001", "vk123", "10.50")).isEqualTo("99b607fe010690530f7bb122f0817ed8");
    }
}
