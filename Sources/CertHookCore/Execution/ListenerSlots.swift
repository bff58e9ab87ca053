import Foundation

/// At most `limit` listeners change at the same time, across all load balancers of a run (a counting semaphore;
/// waiters are served in arrival order).
actor ListenerSlots {
  private var available: Int
  private var waiters: [CheckedContinuation<Void, Never>] = []

  /// Creates slots for `limit` listeners (at least one).
  init(_ limit: Int) {
    available = max(1, limit)
  }

  /// Waits for a slot.
  func acquire() async {
    if available > 0 {
      available -= 1
      return
    }
    await withCheckedContinuation { waiters.append($0) }
  }

  /// Returns a slot (to the longest waiter, if any).
  func release() {
    if waiters.isEmpty {
      available += 1
    } else {
      waiters.removeFirst().resume()
    }
  }
}
