import Hummingbird
import NIOCore

/// Reads a request body under two bounds: a size limit (a larger body is drained and answered with the error
/// JSON, never with an empty 500) and a deadline for the whole body (a body trickled in slowly is cut off).
enum BodyReader {
  /// What reading the body gave.
  enum Outcome: Sendable, Equatable {
    /// The whole body, within the limit.
    case complete([UInt8])
    /// The body is larger than the limit; `drained` tells whether it was read to its end.
    case tooLarge(drained: Bool)
    /// The body did not arrive before the deadline (or its stream failed).
    case incomplete
  }

  /// The most an oversized body is read (and discarded) so that the client can read the error answer.
  static let drainLimit = 64 << 20

  /// Reads `body`; when `deadline` passes first, `onDeadline` runs (it closes the connection, which also ends a
  /// body stream that would not notice cancellation) and the outcome is `.incomplete`.
  static func read(
    _ body: RequestBody, limit: Int, deadline: Duration, onDeadline: @escaping @Sendable () async -> Void
  ) async -> Outcome {
    await withTaskGroup(of: Outcome?.self) { group in
      group.addTask { await collect(body, limit: limit) }
      group.addTask {
        guard (try? await Task.sleep(for: deadline)) != nil else { return nil }
        await onDeadline()
        return .incomplete
      }
      let first = await group.next() ?? nil
      group.cancelAll()
      return first ?? .incomplete
    }
  }

  private static func collect(_ body: RequestBody, limit: Int) async -> Outcome {
    var bytes: [UInt8] = []
    var seen = 0
    do {
      for try await chunk in body {
        seen += chunk.readableBytes
        if seen > drainLimit { return .tooLarge(drained: false) }
        if seen <= limit { bytes += chunk.readableBytesView }
      }
    } catch {
      return .incomplete
    }
    return seen > limit ? .tooLarge(drained: true) : .complete(bytes)
  }
}
