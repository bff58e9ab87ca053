import Foundation

/// The SLB server certificates one driver created, by CAS `CertId`, so that listeners changed side by side in one
/// run share one copy of a CAS certificate instead of each creating its own.
///
/// Rules it keeps: at most one creation per CAS certificate is under way; a caller that finds one under way waits for
/// it and gets its ID with `created` false (only the creator may take a copy back); a failed creation is not
/// remembered, so the next caller tries again; a copy taken back is forgotten (`forget`).
actor CLBServerCertificateCreations {
  typealias Outcome = (id: String, created: Bool)
  private var made: [Int: String] = [:]
  private var running: [Int: Task<Outcome, any Error>] = [:]

  /// The copy this driver made of `certId`, if it remembers one.
  func made(_ certId: Int) -> String? { made[certId] }

  /// The copy of `certId`: the one made or under way, else the one `create` gives (`created` as `create` says, for
  /// the caller that ran it only: a waiter never gets true).
  func serverCertificate(certId: Int, create: @escaping @Sendable () async throws -> Outcome) async throws -> Outcome {
    if let id = made[certId] { return (id, false) }
    if let task = running[certId] { return (try await task.value.id, false) }
    let task = Task { try await create() }
    running[certId] = task
    do {
      let outcome = try await task.value
      made[certId] = outcome.id
      running[certId] = nil
      return outcome
    } catch {
      running[certId] = nil
      throw error
    }
  }

  /// Forgets copy `id` (deleted again, or no longer in the region).
  func forget(_ id: String) {
    made = made.filter { $0.value != id }
  }
}
