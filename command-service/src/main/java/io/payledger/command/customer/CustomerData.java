package io.payledger.command.customer;

import io.payledger.events.payment.Customer;
import io.payledger.events.payment.MerchantId;
import io.payledger.events.payment.PaymentId;
import io.payledger.events.payment.PaymentInitiated;
import io.payledger.events.privacy.Keyring;
import io.payledger.events.privacy.PersonalData;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Service;

/**
 * A customer's name, email and phone: sealed under the customer's own key before they enter an event,
 * opened for those allowed to see them, and forgotten on request. Each value is bound to its payment and
 * field, so a sealed email copied into another payment, or into the name, does not open.
 */
@Service
public class CustomerData {

    private final PersonalData personalData;
    private final CustomerKeys keys;
    private final Subjects subjects;
    private final EventStore events;

    CustomerData(CustomerKeys keys, Subjects subjects, EventStore events) {
        this.personalData = new PersonalData(keys);
        this.keys = keys;
        this.subjects = subjects;
        this.events = events;
    }

    /** The customer as it may be stored: every field present sealed, a guest as a guest. */
    public Customer seal(MerchantId merchant, PaymentId payment, Customer customer) {
        Sealed sealed = sealForCreation(merchant, payment, customer);
        keys.store(sealed.newKey() == null ? List.of() : List.of(sealed.newKey()));
        return sealed.customer();
    }

    /**
     * A customer sealed, and the new key they were sealed with when there was no fresh one (else null): the caller
     * stores it in the transaction that stores the payment ({@link CustomerKeys#store}).
     */
    public record Sealed(Customer customer, CustomerKeys.NewKey newKey) {
    }

    /** As {@link #seal}, leaving a new key for the caller to store with the payment. */
    public Sealed sealForCreation(MerchantId merchant, PaymentId payment, Customer customer) {
        if (customer == null || (customer.name() == null && customer.email() == null && customer.phone() == null)) {
            return new Sealed(Customer.guest(), null);
        }
        String subject = customer.email() != null ? subjects.byEmail(merchant, customer.email())
                : customer.phone() != null ? subjects.byPhone(merchant, customer.phone())
                : subjects.byPayment(merchant, payment);
        // the customer's key is looked up once for the three fields
        CustomerKeys.KeyToUse key = keys.currentOrNewKeyFor(subject);
        PersonalData sealer = new PersonalData(key.keyring());
        return new Sealed(new Customer(seal(sealer, customer.name(), subject, payment, "name"),
                seal(sealer, customer.email(), subject, payment, "email"),
                seal(sealer, customer.phone(), subject, payment, "phone")), key.toStore());
    }

    /** The customer of a payment as its first event holds them; empty when there is no such payment. */
    public Optional<Opened> open(PaymentId payment) {
        return initiation(payment).map(initiated -> {
            Customer stored = initiated.customer() == null ? Customer.guest() : initiated.customer();
            Field name = open(stored.name(), payment, "name");
            Field email = open(stored.email(), payment, "email");
            Field phone = open(stored.phone(), payment, "phone");
            boolean forgotten = Stream.of(name, email, phone).anyMatch(Field::forgotten);
            return new Opened(initiated.merchantId(), new Customer(name.value(), email.value(), phone.value()), forgotten);
        });
    }

    /**
     * Forgets the customer behind a payment; empty when there is no such payment or the payment's merchant
     * is not one {@code mayForget} allows (and then nothing is forgotten).
     */
    public Optional<Forgotten> forgetByPayment(PaymentId payment, Predicate<MerchantId> mayForget, String erasedBy) {
        return initiation(payment).filter(initiated -> mayForget.test(initiated.merchantId())).map(initiated -> {
            Customer stored = initiated.customer() == null ? Customer.guest() : initiated.customer();
            Optional<String> subjectHash = Stream.of(stored.name(), stored.email(), stored.phone())
                    .filter(PersonalData::isSealed).map(PersonalData::keyIdOf).map(keys::subjectHashOf)
                    .flatMap(Optional::stream).findFirst();
            int erased = subjectHash.map(hash -> keys.forget(hash, initiated.merchantId().value(), erasedBy)).orElse(0);
            return new Forgotten(initiated.merchantId(), erased);
        });
    }

    /** Forgets a merchant's customer by email. */
    public Forgotten forgetByEmail(MerchantId merchant, String email, String erasedBy) {
        return new Forgotten(merchant, keys.forget(Subjects.hash(subjects.byEmail(merchant, email)), merchant.value(), erasedBy));
    }

    /** Forgets a merchant's customer by phone (the customers who gave a phone but no email). */
    public Forgotten forgetByPhone(MerchantId merchant, String phone, String erasedBy) {
        return new Forgotten(merchant, keys.forget(Subjects.hash(subjects.byPhone(merchant, phone)), merchant.value(), erasedBy));
    }

    private static String seal(PersonalData sealer, String value, String subject, PaymentId payment, String field) {
        return value == null ? null : sealer.seal(value, subject, context(payment, field));
    }

    private Field open(String stored, PaymentId payment, String field) {
        if (stored == null) {
            return new Field(null, false);
        }
        if (!PersonalData.isSealed(stored)) {
            return new Field(stored, false);        // written before sealing existed (PaymentInitiated revision 1)
        }
        return personalData.open(stored, context(payment, field))
                .map(value -> new Field(value, false)).orElse(new Field(null, true));
    }

    private Optional<PaymentInitiated> initiation(PaymentId payment) {
        DomainEventStream stream = events.readEvents(payment.value(), 0);
        if (!stream.hasNext()) {
            return Optional.empty();
        }
        DomainEventMessage<?> first = stream.next();
        return first.getPayload() instanceof PaymentInitiated initiated ? Optional.of(initiated) : Optional.empty();
    }

    private static String context(PaymentId payment, String field) {
        return payment.value() + "/customer." + field;
    }

    private record Field(String value, boolean forgotten) { }

    /** A payment's customer in clear, as far as their key still exists. */
    public record Opened(MerchantId merchant, Customer customer, boolean forgotten) { }

    /** The outcome of forgetting a customer: whose customer, and how many keys went. */
    public record Forgotten(MerchantId merchant, int erasedKeys) { }
}
