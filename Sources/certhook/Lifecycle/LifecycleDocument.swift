import CertHookCore

/// The JSON document of a lifecycle command: its name, exit code and result.
struct LifecycleDocument<Result: Encodable>: Encodable {
  /// The subcommand (`attach`, `sync`...).
  let command: String
  /// The exit status the command ends with.
  let exitCode: Int32
  /// The result.
  let result: Result
  /// Counts per action (`upload`, `associate`, `dissociate`, `unchanged`...) for the commands that plan changes.
  var summary: ActionCounts? = nil
  /// How each notifier's delivery went (absent when none was sent).
  var notifications: [NotificationDelivery]? = nil
}
