package io.payledger.command.audit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How command-service seals its log ({@code payledger.checkpoints}).
 *
 * @param interval             a checkpoint is sealed when this has passed since the one before and events wait
 * @param events               at most this many events per checkpoint; a checkpoint is sealed as soon as they wait
 * @param checkEvery           how often the sealer looks
 * @param topic                the Kafka topic checkpoints are published to (one partition, kept for ever)
 * @param directory            a directory each checkpoint is also written to, one file each; none by default
 * @param signingKey           the Ed25519 private key, PKCS#8 PEM, from a Secret
 * @param publicKey            its public key, PEM, published at {@code /v1/audit/checkpoints/public-key}
 * @param previousPublicKeys   keys that signed older checkpoints, after a rotation
 */
@ConfigurationProperties("payledger.checkpoints")
public record CheckpointProperties(@DefaultValue("60s") Duration interval, @DefaultValue("1000") int events,
                                   @DefaultValue("2s") Duration checkEvery,
                                   @DefaultValue("payledger.log-checkpoints") String topic, Path directory,
                                   String signingKey, String publicKey, @DefaultValue List<String> previousPublicKeys) {

    public CheckpointProperties {
        if (events < 1 || events > 2_000) {
            throw new IllegalArgumentException("payledger.checkpoints.events must be 1..2000 (a checkpoint lists its events)");
        }
        if (signingKey == null || signingKey.isBlank() || publicKey == null || publicKey.isBlank()) {
            throw new IllegalArgumentException("payledger.checkpoints.signing-key and public-key must be set "
                    + "(an Ed25519 key pair from a Secret; docs/audit.md says how to make one)");
        }
    }
}
