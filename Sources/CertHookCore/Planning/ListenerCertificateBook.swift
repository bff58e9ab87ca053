import Foundation

/// Each listener's certificate list as this run last saw it, so a run of many deployments on the same load
/// balancers reads every listener once instead of once per deployment (the quota planner counts every HTTPS/QUIC
/// listener of a load balancer, not only the targets).
///
/// Rules: it lives for one run (runners create a new one each time they start); concurrent readers of the same
/// listener share one request; a failed read is not remembered; every change this run makes to a listener
/// forgets its entry before the change is sent and again when it ends, and a verification read after a change
/// records what the listener has now. Changes made by others during the run are seen by the executor's own
/// reads and answers (it never trusts the book), exactly as with a plan read moments before the change.
public actor ListenerCertificateBook {
  /// A listener's certificates or why they could not be read.
  public typealias Entry = Result<[CloudListenerCertificate], CertHookError>

  private enum Slot {
    case reading(Task<Entry, Never>, generation: Int)
    case known(Entry)
  }

  private var slots: [String: Slot] = [:]
  private var generation = 0

  /// An empty book.
  public init() {}

  /// The certificates of `listenerId`: remembered, being read by someone else, or read now with `read`.
  public func certificates(of listenerId: String, read: @escaping @Sendable () async -> Entry) async -> Entry {
    switch slots[listenerId] {
    case .known(let entry)?:
      return entry
    case .reading(let task, _)?:
      return await task.value
    case nil:
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

  /// Records what a fresh read after a change showed.
  public func record(_ certificates: [CloudListenerCertificate], of listenerId: String) {
    slots[listenerId] = .known(.success(certificates))
  }

  /// Forgets `listenerId`: the next reader reads it again.
  public func forget(_ listenerId: String) {
    slots[listenerId] = nil
  }
}
