import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A request to stop (SIGTERM, SIGINT): no new change starts once it is set; a change already started runs to its
/// safe point (associate, verify, dissociate: never stopped between an associate and its verification).
public final class StopSignal: Sendable {
  private let received = NIOLockedValueBox<Int32?>(nil)

  /// A signal nobody has raised yet.
  public init() {}

  /// Records the first request (later ones keep the first signal number).
  public func request(signal: Int32) {
    received.withLockedValue { received in
      if received == nil { received = signal }
    }
  }

  /// The signal number that asked to stop, if any.
  public var requested: Int32? {
    received.withLockedValue { $0 }
  }

  /// The usual name of the signal (`SIGTERM`, `SIGINT`).
  public static func name(_ signal: Int32) -> String {
    switch signal {
    case SIGTERM: return "SIGTERM"
    case SIGINT: return "SIGINT"
    case SIGHUP: return "SIGHUP"
    default: return "signal \(signal)"
    }
  }
}
