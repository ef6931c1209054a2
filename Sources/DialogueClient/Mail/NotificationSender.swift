internal import DialogueCBOR
internal import DialogueDelivery
internal import DialogueMessages

/// The sender a notification claims, read before it is verified: a user agent checks a
/// notification with the server document of the sender's domain ([dlv-notification-verify] step 5),
/// so it must know that domain first. Everything is then checked by the full verification.
enum NotificationSender {
    static func claimed(_ bytes: [UInt8]) throws(ClientError) -> Address {
        guard bytes.count <= DialogueDelivery.Notification.maximumSize else {
            throw ClientError(.limitsExceeded, "a notification of \(bytes.count) bytes")
        }
        do {
            let signed = try CBORDecoder().decode(bytes).array()
            guard signed.count == 2 else { throw ClientError(.malformed, "a notification is [body, signature]") }
            let body = try CBORDecoder().decode(Array(try signed[0].byteString()))
            guard let sender = try body.mapValue(forKey: 1) else {
                throw ClientError(.malformed, "the notification names no sender")
            }
            return try Address(parsing: try sender.textString())
        } catch let error as ClientError {
            throw error
        } catch {
            throw ClientError(.malformed, "the notification does not decode: \(error)")
        }
    }
}
