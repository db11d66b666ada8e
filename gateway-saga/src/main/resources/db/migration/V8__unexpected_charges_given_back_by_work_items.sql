-- Giving an unexpected charge back is a Fiuu work item now (fiuu_work, V7), not a state of unexpected_charge. The
-- register keeps one fact per charge, released or not (released_at); its columns for the old release loop (attempts,
-- polls, accepted_at, next_attempt_at, claimed_*, last_error) stay unused for one release, for pods of the previous
-- release during a rolling upgrade, and are dropped later.
--
-- Charges the old loop was still giving back, or that waited for an operator, become work items, so that an upgrade
-- never leaves money unreturned. Fiuu's natural keys keep a release that both loops try during the upgrade from
-- happening twice: a second reversal is refused, and the refund's RefID (UC<tranID>) is answered as a duplicate.
INSERT INTO fiuu_work (event_id, payment_id, step, state, due_at, polls, accepted, by_refund, last_error)
SELECT 'upgrade:release:' || charge_id, payment_id, 'release:' || charge_id,
       CASE status WHEN 'waiting' THEN 'waiting' ELSE 'due' END, now(), polls, accepted_at IS NOT NULL, captured, last_error
FROM unexpected_charge
WHERE status IN ('releasing', 'waiting')
ON CONFLICT (event_id) DO NOTHING;
