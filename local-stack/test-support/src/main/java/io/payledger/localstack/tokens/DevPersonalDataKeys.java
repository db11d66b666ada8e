package io.payledger.localstack.tokens;

import java.util.Map;

/**
 * The DEVELOPMENT keys for customers' personal data (command-service's {@code payledger.personal-data}),
 * for the local run and the tests. Public on purpose: they decode to text saying DEVELOPMENT-ONLY.
 * Production reads its master keys and index key from a Secret (see docs/security.md).
 */
public final class DevPersonalDataKeys {

    /** DEVELOPMENT master keys: "DEVELOPMENT-ONLY master key 01!!" and "... 02!!" in base64. */
    public static final String MASTER_KEY_1 = "REVWRUxPUE1FTlQtT05MWSBtYXN0ZXIga2V5IDAxISE=";
    public static final String MASTER_KEY_2 = "REVWRUxPUE1FTlQtT05MWSBtYXN0ZXIga2V5IDAyISE=";
    /** DEVELOPMENT index key: "DEVELOPMENT-ONLY customer index key, not for use" in base64. */
    public static final String INDEX_KEY = "REVWRUxPUE1FTlQtT05MWSBjdXN0b21lciBpbmRleCBrZXksIG5vdCBmb3IgdXNl";

    private DevPersonalDataKeys() {
    }

    /** Settings for command-service with development master key {@code dev-1} current. */
    public static Map<String, String> settings() {
        return Map.of(
                "payledger.personal-data.master-keys.dev-1", MASTER_KEY_1,
                "payledger.personal-data.current-master-key", "dev-1",
                "payledger.personal-data.index-key", INDEX_KEY);
    }
}
