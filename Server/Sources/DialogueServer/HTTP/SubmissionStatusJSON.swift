internal import DialogueIdentifiers
public import DialogueServerStorage

extension SubmissionRecord {
    /// The status object of `GET /submissions/{submission}` (Spec: delivery.md#dlv-ep-status).
    var statusJSON: [String: Any] {
        [
            "submission": id.text(kind: .submission), "created": created, "expires": expires,
            "state": deleted == nil ? "live" : "deleted",
            "deliveries": deliveries.map { delivery -> [String: Any] in
                var object: [String: Any] = [
                    "recipient": delivery.recipient, "envelope": delivery.envelope.text(kind: .blob),
                    "state": delivery.state.rawValue, "attempts": delivery.attempts,
                ]
                if let time = delivery.notified { object["notified"] = time }
                if let time = delivery.acknowledged { object["acknowledged"] = time }
                if let time = delivery.lastAttempt { object["last_attempt"] = time }
                if let time = delivery.nextAttempt, delivery.state.awaitsNotification { object["next_attempt"] = time }
                if let error = delivery.lastError { object["last_error"] = error }
                if delivery.state == .failed, let time = delivery.ended { object["failed"] = time }
                return object
            },
        ]
    }
}
