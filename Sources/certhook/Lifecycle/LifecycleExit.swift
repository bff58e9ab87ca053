import AlibabaCloud
import ArgumentParser
import CertHookCore
import Foundation

/// Exit codes of the lifecycle commands (see docs/hooks.md for `deploy-hook`).
enum LifecycleExit {
  /// Every listener done (or nothing to do).
  static let success: Int32 = 0
  /// At least one listener failed, or an API error.
  static let failure: Int32 = 1
  /// The certificate was refused or could not be read: nothing changed.
  static let refused: Int32 = 2
  /// No deployment matches the certificate.
  static let noMatch: Int32 = 3
  /// `--detailed-exitcode` (and `status`): changes are pending, nothing failed.
  static let changesPending: Int32 = 2
  /// Usage or configuration error.
  static let usage: Int32 = 64
  /// The `--timeout` elapsed.
  static let timeout: Int32 = 124
  /// Stopped by a signal: 128 + its number (SIGINT 130, SIGTERM 143); no new change was started (`SignalTrap`).
  static let signalBase: Int32 = 128

  /// The exit code for an error that ended a command.
  static func code(for error: any Error) -> Int32 {
    switch error {
    case let e as CertHookError:
      switch e {
      case .configuration, .invalidArgument, .hookDetection: return usage
      case .refused, .certificate: return refused
      case .noMatchingDeployment: return noMatch
      case .timeout: return timeout
      case .state, .cloud, .api, .quotaExceeded: return failure
      }
    case let e as AlibabaCloudError:
      return e.kind == .configuration || e.kind == .credentials ? usage : failure
    case is ValidationError:
      return usage
    default:
      return failure
    }
  }

  /// The exit code for a finished report: 1 when any listener failed, else 0.
  static func code(for report: DeploymentReport) -> Int32 {
    if let interrupted = SignalTrap.exitStatus { return interrupted }
    return report.hasFailures ? failure : success
  }

  /// Prints the error as one line on stderr (and a JSON object on stdout with `json`) and returns `ExitCode`.
  static func fail(_ error: any Error, json: Bool) -> ExitCode {
    let status = code(for: error)
    Diagnostics.error(message(for: error))
    if json {
      let document = ErrorDocument(error: message(for: error), exitCode: status)
      LifecycleJSON.print(document)
    }
    return ExitCode(status)
  }

  /// The text of an error: refusals name every finding.
  static func message(for error: any Error) -> String {
    "\(error)"
  }

  private struct ErrorDocument: Encodable {
    let error: String
    let exitCode: Int32
  }
}
