import Foundation

/// Runs one piece of read-only work (audit, status) per (account, region) at the same time, each on its own
/// session; a placement whose session or work fails gives its error, never stopping the others. Results come
/// back in placement order.
public enum PlacementFanOut {
  /// `work` for each of `placements`; each entry is the value or the error's text. `work` opens the placement's
  /// session and runs work that does not throw, so an error means the session could not be opened.
  public static func run<T: Sendable>(
    _ placements: [TargetPlacement], _ work: @escaping @Sendable (TargetPlacement) async throws -> T
  ) async -> [(placement: TargetPlacement, outcome: Result<T, PlacementFailure>)] {
    let results = await withTaskGroup(of: (Int, Result<T, PlacementFailure>).self) { tasks in
      for (index, placement) in placements.enumerated() {
        tasks.addTask {
          do {
            return (index, .success(try await work(placement)))
          } catch {
            return (index, .failure(PlacementFailure(placement: placement, message: "cannot open a session: \(error)")))
          }
        }
      }
      var collected: [(Int, Result<T, PlacementFailure>)] = []
      for await entry in tasks { collected.append(entry) }
      return collected
    }
    return results.sorted { $0.0 < $1.0 }.map { (placements[$0.0], $0.1) }
  }
}

/// Why one (account, region) gave no result: its session could not be opened or its work failed.
public struct PlacementFailure: Error, Sendable, Equatable, CustomStringConvertible {
  /// Where.
  public var placement: TargetPlacement
  /// What went wrong (names the credential provider when the session could not be opened).
  public var message: String

  /// `[account prod, cn-shanghai] cannot open a session: ...`.
  public var description: String { "[\(placement)] \(message)" }
}
