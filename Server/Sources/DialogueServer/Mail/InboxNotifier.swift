internal import Foundation

/// Wakes the inbox long polls of a user when an entry arrives (Spec: [dlv-inbox-wait]): an entry this
/// process stored, and, with a store shared by several processes, one another process stored
/// (``MailHTTPService`` feeds it the store's ``DialogueServerStorage/InboxArrivalFeed``). A poll reads the user's generation before it lists the inbox and waits only while the
/// generation is unchanged, so that an entry that arrives between the listing and the wait is not missed.
public actor InboxNotifier {
    private var generations: [String: UInt64] = [:]
    private var waiters: [String: [UUID: CheckedContinuation<Void, Never>]] = [:]
    private var closed = false

    /// Creates a notifier.
    public init() {}

    /// The number of arrivals for `recipient` so far.
    public func generation(of recipient: String) -> UInt64 { generations[recipient, default: 0] }

    /// Returns when an entry for `recipient` arrives after `generation`, or after `seconds`, or at once
    /// when the notifier is closed; `false` when it is closed (the server is shutting down).
    @discardableResult
    public func wait(for recipient: String, after generation: UInt64, seconds: Double) async -> Bool {
        guard !closed else { return false }
        guard generations[recipient, default: 0] == generation, seconds > 0 else { return true }
        let id = UUID()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            waiters[recipient, default: [:]][id] = continuation
            Task { [weak self] in
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
                await self?.resume(recipient, id)
            }
        }
        return !closed
    }

    /// Ends every poll now and every later one at once: at shutdown a long poll answers what it has
    /// instead of holding the server for up to a minute.
    public func close() {
        closed = true
        let woken = waiters
        waiters = [:]
        for continuation in woken.values.flatMap(\.values) { continuation.resume() }
    }

    /// Records an arrival for `recipient` and wakes every poll of that user.
    public func notify(_ recipient: String) {
        generations[recipient, default: 0] += 1
        let woken = waiters.removeValue(forKey: recipient) ?? [:]
        for continuation in woken.values { continuation.resume() }
    }

    private func resume(_ recipient: String, _ id: UUID) {
        waiters[recipient]?.removeValue(forKey: id)?.resume()
    }
}
