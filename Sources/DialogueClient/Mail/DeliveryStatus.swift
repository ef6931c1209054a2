/// What the sender's home server says of a submission ([dlv-ep-status]).
public struct DeliveryStatus: Sendable, Hashable, Codable {
    /// One recipient's delivery.
    public struct Recipient: Sendable, Hashable, Codable {
        /// The recipient's address.
        public var recipient: String
        /// `pending`, `retrying`, `notified`, `acknowledged`, `failed` or `expired`.
        public var state: String
        /// How many times the server tried.
        public var attempts: Int?
        /// When the recipient's server confirmed the notification.
        public var notified: UInt64?
        /// When the recipient acknowledged.
        public var acknowledged: UInt64?
        /// The last error, for a delivery that is retried or failed.
        public var lastError: String?

        enum CodingKeys: String, CodingKey {
            case recipient, state, attempts, notified, acknowledged
            case lastError = "last_error"
        }
    }

    /// The submission identifier's text.
    public var submission: String
    /// `live` or `deleted`.
    public var state: String
    /// Each recipient's delivery.
    public var deliveries: [Recipient]
    /// Whether the server answered `410 Gone`: every delivery is done and the message was deleted
    /// ([dlv-tombstones]); the deliveries are then the last ones this device saw.
    public var gone: Bool = false

    enum CodingKeys: String, CodingKey { case submission, state, deliveries }
}
