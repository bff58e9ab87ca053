import AlibabaCloud
import CertificateKit
import Foundation
import Logging

/// Everything the caller passes in to open a run's cloud sessions: the command line's choices, the configuration
/// (already found and decoded by the caller), the state cache choices, the process environment, and where
/// warnings, retries and progress go. The library reads nothing on its own and prints nothing.
public struct RunSessionOptions: Sendable {
  /// `--region`, `--alb-endpoint`, `--cas-endpoint`, `--profile`.
  public var cloud: CloudChoices
  /// The configuration file's model, when one was loaded.
  public var configuration: CertHookConfiguration?
  /// Where the configuration was read from (it prefixes credential origins).
  public var configurationPath: String?
  /// `--state`.
  public var statePath: String?
  /// The configuration's `statePath`, when the file sets one.
  public var configuredStatePath: String?
  /// `--refresh`: ignore the state cache for this run.
  public var refresh = false
  /// Expiry windows for checks and audit.
  public var checkPolicy = CheckPolicy()
  /// The process environment (`ALIBABA_CLOUD_*`, `CERTHOOK_*`, `HOME`).
  public var environment: [String: String]
  /// Where the libraries log (the CLI's stderr logger).
  public var logger: Logger
  /// Gets every warning (state cache problems) as one line.
  public var warn: @Sendable (String) -> Void
  /// Gets each retry's line before it happens; nil shows nothing.
  public var onRetry: (@Sendable (String) -> Void)?
  /// Called after each listener of a batch finishes.
  public var progress: (@Sendable (ExecutionProgress) -> Void)?
  /// The stop request of the run, asked for once the session is open (nil: none; the CLI installs its signal
  /// handlers here).
  public var stop: @Sendable () -> StopSignal?

  /// Creates options.
  public init(
    cloud: CloudChoices, configuration: CertHookConfiguration?, configurationPath: String?,
    environment: [String: String], logger: Logger, warn: @escaping @Sendable (String) -> Void,
    stop: @escaping @Sendable () -> StopSignal? = { nil }
  ) {
    self.cloud = cloud
    self.configuration = configuration
    self.configurationPath = configurationPath
    self.environment = environment
    self.logger = logger
    self.warn = warn
    self.stop = stop
  }

  /// The home directory of the environment's `HOME`, else the account's.
  public var homeDirectory: String { Self.homeDirectory(environment) }

  /// The home directory of `environment`'s `HOME`, else the account's.
  public static func homeDirectory(_ environment: [String: String]) -> String {
    SessionEnvironment(environment).home ?? NSHomeDirectory()
  }

  /// Poll interval for jobs and listener status: `CERTHOOK_POLL_INTERVAL` seconds (0.01...10), default 1.
  var pollInterval: Duration {
    guard let text = environment["CERTHOOK_POLL_INTERVAL"], let seconds = Double(text), seconds >= 0.01, seconds <= 10
    else {
      return .seconds(1)
    }
    return .milliseconds(Int64(seconds * 1000))
  }
}
