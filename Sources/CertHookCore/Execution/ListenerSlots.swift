import Foundation

/// At most `limit` listeners change at the same time, across all load balancers of a run (a counting semaphore).
///
/// A free slot goes to the waiter with the most work still behind it (its load balancer's listeners not yet
/// started), then to the longest waiter: a load balancer that was read last, or rotates in more waves, is not left
/// to finish alone after the others, with its few quota slots as the only work in flight.
actor ListenerSlots {
  private struct Waiter {
    let backlog: Int
    let arrival: Int
    let continuation: CheckedContinuation<Void, Never>
  }

  private var available: Int
  private var waiters: [Waiter] = []
  private var arrivals = 0

  /// Creates slots for `limit` listeners (at least one).
  init(_ limit: Int) {
    available = max(1, limit)
  }

  /// Waits for a slot; `backlog` is how many listeners of the caller's load balancer are still waiting to start.
  func acquire(backlog: Int = 0) async {
    if available > 0 {
      available -= 1
      return
    }
    arrivals += 1
    let arrival = arrivals
    await withCheckedContinuation { waiters.append(Waiter(backlog: backlog, arrival: arrival, continuation: $0)) }
  }

  /// Returns a slot (to the waiter with the largest backlog, the longest waiting among equals).
  func release() {
    guard let next = waiters.indices.min(by: { a, b in
      (-waiters[a].backlog, waiters[a].arrival) < (-waiters[b].backlog, waiters[b].arrival)
    }) else {
      available += 1
      return
    }
    waiters.remove(at: next).continuation.resume()
  }
}

/// The slots of a run, one pool of `limit` per product: the products are separate APIs with their own rate limits
/// and locks, so listeners waiting on one product's limit never hold the slots another product's listeners need.
struct ProductSlots: Sendable {
  private let pools: [ListenerProduct: ListenerSlots]

  /// `limit` listeners at a time per product.
  init(_ limit: Int) {
    pools = Dictionary(uniqueKeysWithValues: ListenerProduct.allCases.map { ($0, ListenerSlots(limit)) })
  }

  /// The pool of the product of a load balancer (or listener) key.
  func of(_ key: String) -> ListenerSlots {
    pools[ListenerProduct(key: key)] ?? ListenerSlots(1)
  }
}
