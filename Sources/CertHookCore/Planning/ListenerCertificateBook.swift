import Foundation

/// Each listener's certificate list as this run last saw it, so a run of many deployments on the same load
/// balancers reads every listener once instead of once per deployment (the quota planner counts every HTTPS/QUIC
/// listener of a load balancer, not only the targets).
///
/// Rules: it lives for one run (runners create a new one each time they start); concurrent readers of the same
/// listener share one request; a failed read is not remembered; a listener this run is changing is not read
/// while the change is under way: its readers wait until the executor records what a verification read showed
/// (`record`) or gives the listener up (`endChange`, after which the next reader reads it again), so a plan of one
/// deployment never pays a read for a sibling listener another deployment is about to verify anyway. Changes made
/// by others during the run are seen by the executor's own reads and answers (it never trusts the book), exactly
/// as with a plan read moments before the change.
public actor ListenerCertificateBook {
  /// A listener's certificates or why they could not be read.
  public typealias Entry = Result<[CloudListenerCertificate], CertHookError>

  private enum Slot {
    case reading(Task<Entry, Never>, generation: Int)
    case known(Entry)
    /// This run is changing the listener; readers wait for the outcome.
    case changing(waiters: [CheckedContinuation<Void, Never>])
  }

  private var slots: [String: Slot] = [:]
  private var generation = 0

  /// An empty book.
  public init() {}

  /// The certificates of `listenerId`: remembered, being read by someone else, or read now with `read`.
  public func certificates(of listenerId: String, read: @escaping @Sendable () async -> Entry) async -> Entry {
    while case .changing(let waiters)? = slots[listenerId] {
      await withCheckedContinuation { continuation in
        slots[listenerId] = .changing(waiters: waiters + [continuation])
      }
    }
    switch slots[listenerId] {
    case .known(let entry)?:
      return entry
    case .reading(let task, _)?:
      return await task.value
    case .changing?, nil:
      generation += 1
      let mine = generation
      let task = Task { await read() }
      slots[listenerId] = .reading(task, generation: mine)
      let entry = await task.value
      // Only this read's own slot is settled: a change may have forgotten (or replaced) it meanwhile.
      if case .reading(_, let current)? = slots[listenerId], current == mine {
        if case .success = entry { slots[listenerId] = .known(entry) } else { slots[listenerId] = nil }
      }
      return entry
    }
  }

  /// Records what a fresh read after a change showed; readers waiting for the change get it.
  public func record(_ certificates: [CloudListenerCertificate], of listenerId: String) {
    settle(listenerId, as: .known(.success(certificates)))
  }

  /// A change of `listenerId` is about to be sent: what the book knows is about to be wrong, and readers wait.
  public func beginChange(_ listenerId: String) {
    if case .changing? = slots[listenerId] { return }
    slots[listenerId] = .changing(waiters: [])
  }

  /// The executor is done with `listenerId` (changed, failed or given up) without a recorded outcome still
  /// pending: waiting readers, and the next ones, read it again. A recorded outcome stays.
  public func endChange(_ listenerId: String) {
    guard case .changing? = slots[listenerId] else { return }
    settle(listenerId, as: nil)
  }

  /// How many readers wait for the change of `listenerId` (for tests).
  func readersWaiting(for listenerId: String) -> Int {
    if case .changing(let waiters)? = slots[listenerId] { return waiters.count }
    return 0
  }

  private func settle(_ listenerId: String, as slot: Slot?) {
    let waiters: [CheckedContinuation<Void, Never>]
    if case .changing(let waiting)? = slots[listenerId] { waiters = waiting } else { waiters = [] }
    slots[listenerId] = slot
    waiters.forEach { $0.resume() }
  }
}
