import CertHookCore
import Dispatch
import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// SIGTERM and SIGINT for the commands that change listeners: the first one stops new changes (the changes in
/// flight reach their safe point, the state is written, the report printed) and the command exits 143 or 130;
/// a second one ends the process at once.
enum SignalTrap {
  /// The process-wide stop request the runners read.
  static let stop = StopSignal()
  /// Whether the handlers are installed; `sources` is only touched while holding this lock.
  private static let installed = NIOLockedValueBox(false)
  nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

  /// Installs the handlers once and returns the stop request.
  @discardableResult
  static func install() -> StopSignal {
    installed.withLockedValue { done in
      guard !done else { return }
      done = true
      installHandlers()
    }
    return stop
  }

  private static func installHandlers() {
    for number in [SIGTERM, SIGINT] {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler {
        if stop.requested != nil {
          signal(number, SIG_DFL)
          raise(number)
          return
        }
        stop.request(signal: number)
        Diagnostics.warning(
          "\(StopSignal.name(number)) received: finishing the changes in flight, starting no new ones "
            + "(send it again to stop at once)")
      }
      source.resume()
      sources.append(source)
    }
  }

  /// 143 after SIGTERM, 130 after SIGINT (128 + the signal number); nil when no signal came.
  static var exitStatus: Int32? {
    stop.requested.map { LifecycleExit.signalBase + $0 }
  }
}
