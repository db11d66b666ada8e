package io.payledger.saga.fiuu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Each formula of FIUU.md against a vector computed by hand, outside this code:
 * {@code printf '%s' '<concatenation>' | md5sum}. MID = MID001, vk = vk123, sk = sk456.
 */
class FiuuSignaturesTest {

    @Test
    void theVcodeIsMd5OfAmountMerchantOrderAndVerifyKey() {
        // printf '%s' '10.50MID001ORD-1001vk123' | md5sum
        assertThat(FiuuSignatures.vcode("10.50", "MID001", "ORD-1001", "vk123")).isEqualTo("0fe0e71f12a1884452c3b368e5f0220e");
    }

    @Test
    void theExtendedVcodeAppendsTheCurrency() {
        // printf '%s' '10.50MID001ORD-1001vk123MYR' | md5sum
        assertThat(FiuuSignatures.extendedVcode("10.50", "MID001", "ORD-1001", "vk123", "MYR"))
                .isEqualTo("e83b95ea5ec27d05ee877a58c31f6d46");
    }

    @Test
    void theCaptureSkeyIsMd5OfTranIdAmountDomainAndVerifyKey() {
        // printf '%s' '3000123410.50MID001vk123' | md5sum
        assertThat(FiuuSignatures.captureSkey("30001234", "10.50", "MID001", "vk123"))
                .isEqualTo("772a359916c582c18e96b314dbb43c18");
    }

    @Test
    void theReversalSkeyIsSignedWithTheSecretKey() {
        // printf '%s' '30001234MID001sk456' | md5sum
        assertThat(FiuuSignatures.reversalSkey("30001234", "MID001", "sk456")).isEqualTo("b6d3f4a25ea6c657fe19b76eefb1181b");
    }

    @Test
    void captureAndReversalAnswersCarryVrfKeyOfSecretDomainTranIdAndStatCode() {
        // printf '%s' 'sk456MID0013000123400' | md5sum
        assertThat(FiuuSignatures.responseVrfKey("sk456", "MID001", "30001234", "00"))
                .isEqualTo("d0525d01a1981f34610c64157a871f60");
    }

    @Test
    void theRefundSignatureIsSignedWithTheSecretKey() {
        // printf '%s' 'PMID001REF-1300012344.00sk456' | md5sum
        assertThat(FiuuSignatures.refundSignature("P", "MID001", "REF-1", "30001234", "4.00", "sk456"))
                .isEqualTo("8b9c06a6ebfa835b3f301946afa5f3eb");
    }

    @Test
    void theRefundAnswerSignatureCoversTheRefundIdAndStatus() {
        // printf '%s' 'PMID001REF-1777300012344.0000sk456' | md5sum
        assertThat(FiuuSignatures.refundResponseSignature("P", "MID001", "REF-1", "777", "30001234", "4.00", "00", "sk456"))
                .isEqualTo("859b92e03b48b7612c640c5900426cdd");
    }

    @Test
    void theRefundStatusQueryIsSignedWithTheVerifyKey() {
        // printf '%s' 'REF-1MID001vk123' | md5sum
        assertThat(FiuuSignatures.refundStatusSignature("REF-1", "MID001", "vk123")).isEqualTo("6e640aad93a77e87d3174e940be1fd15");
    }

    @Test
    void theOrderStatusQueryAndItsAnswerFollowTheDocumentedOrder() {
        // printf '%s' 'ORD-1001MID001vk12310.50' | md5sum ; printf '%s' '10.50sk456MID001ORD-100100' | md5sum
        assertThat(FiuuSignatures.queryByOrderSkey("ORD-1001", "MID001", "vk123", "10.50"))
                .isEqualTo("2bca2933da66055f806fcbf5a733c057");
        assertThat(FiuuSignatures.queryVrfKey("10.50", "sk456", "MID001", "ORD-1001", "00"))
                .isEqualTo("9546b290a04c73203485fbe5bee21343");
    }

    @Test
    void theOrderBatchQueryIsMd5OfOrderDomainAndVerifyKey() {
        // printf '%s' 'ORD-1001MID001vk123' | md5sum
        assertThat(FiuuSignatures.queryOrderBatchSkey("ORD-1001", "MID001", "vk123")).isEqualTo("a2262a054f39d717ef6de6e623bce098");
    }

    @Test
    void theTransactionStatusQueryFollowsTheDocumentedOrder() {
        // printf '%s' '30001234MID001vk12310.50' | md5sum
        assertThat(FiuuSignatures.queryByTransactionSkey("30001234", "MID001", "vk123", "10.50"))
                .isEqualTo("99b607fe010690530f7bb122f0817ed8");
    }

    @Test
    void theNotificationSkeyNestsThePreSkeyBetweenPaydateDomainAndAppcode() {
        // pre = printf '%s' '30001234ORD-100100MID00110.50MYR' | md5sum = 554956c6e7098ad3df3fe0aa29abf36a
        // printf '%s' '2026-11-22 10:00:00MID001554956c6e7098ad3df3fe0aa29abf36aA12345sk456' | md5sum
        assertThat(FiuuSignatures.notificationSkey("30001234", "ORD-1001", "00", "MID001", "10.50", "MYR",
                "2026-11-22 10:00:00", "A12345", "sk456")).isEqualTo("5f53184a5c04854df48009c22943de9c");
    }

    @Test
    void signaturesAreComparedWithoutRegardToHexCase() {
        assertThat(FiuuSignatures.matches("5f53184a5c04854df48009c22943de9c", "5F53184A5C04854DF48009C22943DE9C")).isTrue();
        assertThat(FiuuSignatures.matches("5f53184a5c04854df48009c22943de9c", "5f53184a5c04854df48009c22943de9d")).isFalse();
        assertThat(FiuuSignatures.matches("5f53184a5c04854df48009c22943de9c", null)).isFalse();
    }
}
